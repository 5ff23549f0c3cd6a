package dev.adjoint.processor.lower;

import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.IrWalker;
import dev.adjoint.processor.ir.Sym;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Small queries over lowered code. They are visitors ({@link Core.PrimalVisitor}): a lowered body holds none of the
 * nodes only derivatives have, and a new kind of statement cannot be added without each saying what it holds.
 */
public final class CoreWalk {
    private CoreWalk() {}

    /** Calls {@code action} on every statement of {@code c}, parents before children. */
    public static void forEach(Core c, Consumer<Core> action) {
        action.accept(c);
        for (Core nested : children(c)) {
            forEach(nested, action);
        }
    }

    /** @return the statements nested directly in {@code c}, in order (a loop's blocks as they run in one trip) */
    public static List<Core> children(Core c) {
        return c.accept(CHILDREN);
    }

    private static final Core.PrimalVisitor<List<Core>> CHILDREN = new Core.PrimalVisitor<>() {
        @Override
        public List<Core> visitBlock(Core.Block c) {
            return c.stmts();
        }

        @Override
        public List<Core> visitDeclare(Core.Declare c) {
            return List.of();
        }

        @Override
        public List<Core> visitAssign(Core.Assign c) {
            return List.of();
        }

        @Override
        public List<Core> visitEval(Core.Eval c) {
            return List.of();
        }

        @Override
        public List<Core> visitIf(Core.If c) {
            return List.of(c.then(), c.otherwise());
        }

        @Override
        public List<Core> visitFor(Core.For c) {
            return List.of(c.body());
        }

        @Override
        public List<Core> visitWhile(Core.While c) {
            return List.of(c.preCond(), c.body(), c.update());
        }

        @Override
        public List<Core> visitThrow(Core.Throw c) {
            return List.of();
        }
    };

    /**
     * @return {@code c} with each block nested directly in it replaced by {@code f} of it (a block statement is
     *     {@code f} of itself); a statement without blocks as it is
     */
    public static Core mapBlocks(Core c, UnaryOperator<Core.Block> f) {
        return c.accept(new Core.PrimalVisitor<Core>() {
            @Override
            public Core visitBlock(Core.Block b) {
                return f.apply(b);
            }

            @Override
            public Core visitDeclare(Core.Declare d) {
                return d;
            }

            @Override
            public Core visitAssign(Core.Assign a) {
                return a;
            }

            @Override
            public Core visitEval(Core.Eval e) {
                return e;
            }

            @Override
            public Core visitIf(Core.If i) {
                return new Core.If(i.cond(), f.apply(i.then()), f.apply(i.otherwise()), i.pos());
            }

            @Override
            public Core visitFor(Core.For l) {
                return new Core.For(l.index(), l.from(), l.cmp(), l.bound(), l.step(), f.apply(l.body()), l.pos());
            }

            @Override
            public Core visitWhile(Core.While l) {
                return new Core.While(f.apply(l.preCond()), l.cond(), f.apply(l.body()), f.apply(l.update()),
                        l.testFirst(), l.pos());
            }

            @Override
            public Core visitThrow(Core.Throw t) {
                return t;
            }
        });
    }

    /** @return the expressions a statement evaluates itself (not those of the statements nested in it) */
    public static List<Expr> exprs(Core s) {
        return s.accept(EXPRS);
    }

    private static final Core.PrimalVisitor<List<Expr>> EXPRS = new Core.PrimalVisitor<>() {
        @Override
        public List<Expr> visitBlock(Core.Block c) {
            return List.of();
        }

        @Override
        public List<Expr> visitDeclare(Core.Declare c) {
            return List.of(c.init());
        }

        @Override
        public List<Expr> visitAssign(Core.Assign c) {
            return List.of(c.target(), c.value());
        }

        @Override
        public List<Expr> visitEval(Core.Eval c) {
            return List.of(c.call());
        }

        @Override
        public List<Expr> visitIf(Core.If c) {
            return List.of(c.cond());
        }

        @Override
        public List<Expr> visitFor(Core.For c) {
            return List.of(c.from(), c.bound());
        }

        @Override
        public List<Expr> visitWhile(Core.While c) {
            return List.of(c.cond());
        }

        @Override
        public List<Expr> visitThrow(Core.Throw c) {
            return List.of(); // copied as source text
        }
    };

    /**
     * @return {@code c} with {@code f} applied to each expression it evaluates itself, targets included (its nested
     *     blocks as they are)
     */
    public static Core mapExprs(Core c, UnaryOperator<Expr> f) {
        return c.accept(new Core.PrimalVisitor<Core>() {
            @Override
            public Core visitBlock(Core.Block b) {
                return b;
            }

            @Override
            public Core visitDeclare(Core.Declare d) {
                return new Core.Declare(d.sym(), f.apply(d.init()), d.origin(), d.pos());
            }

            @Override
            public Core visitAssign(Core.Assign a) {
                return new Core.Assign(f.apply(a.target()), f.apply(a.value()), a.origin(), a.pos());
            }

            @Override
            public Core visitEval(Core.Eval e) {
                return new Core.Eval(f.apply(e.call()), e.pos());
            }

            @Override
            public Core visitIf(Core.If i) {
                return new Core.If(f.apply(i.cond()), i.then(), i.otherwise(), i.pos());
            }

            @Override
            public Core visitFor(Core.For l) {
                return new Core.For(l.index(), f.apply(l.from()), l.cmp(), f.apply(l.bound()), l.step(), l.body(),
                        l.pos());
            }

            @Override
            public Core visitWhile(Core.While w) {
                return new Core.While(w.preCond(), f.apply(w.cond()), w.body(), w.update(), w.testFirst(), w.pos());
            }

            @Override
            public Core visitThrow(Core.Throw t) {
                return t;
            }
        });
    }

    /**
     * @return the variables {@code c} itself assigns or declares (not its nested statements): a declared local, an
     *     assigned variable (for an array element, the array variable), a counted loop's index
     */
    public static List<Sym> writes(Core c) {
        return c.accept(WRITES);
    }

    private static final Core.PrimalVisitor<List<Sym>> WRITES = new Core.PrimalVisitor<>() {
        @Override
        public List<Sym> visitBlock(Core.Block c) {
            return List.of();
        }

        @Override
        public List<Sym> visitDeclare(Core.Declare c) {
            return List.of(c.sym());
        }

        @Override
        public List<Sym> visitAssign(Core.Assign c) {
            return List.of(root(c.target()));
        }

        @Override
        public List<Sym> visitEval(Core.Eval c) {
            return List.of(); // a call of another method: it cannot assign the caller's locals
        }

        @Override
        public List<Sym> visitIf(Core.If c) {
            return List.of();
        }

        @Override
        public List<Sym> visitFor(Core.For c) {
            return List.of(c.index());
        }

        @Override
        public List<Sym> visitWhile(Core.While c) {
            return List.of();
        }

        @Override
        public List<Sym> visitThrow(Core.Throw c) {
            return List.of();
        }
    };

    /** Adds the variables assigned (or declared) anywhere in {@code c}; for array elements, the array variable. */
    public static void assignedVars(Core c, Set<Sym> into) {
        forEach(c, s -> into.addAll(writes(s)));
    }

    /** @return whether {@code c} assigns the variable {@code s} itself (not an element of it) */
    public static boolean assigns(Core c, Sym s) {
        boolean[] found = {false};
        forEach(c, x -> {
            if (x instanceof Core.Assign a && a.target() instanceof Expr.Var v && v.sym() == s) {
                found[0] = true;
            }
        });
        return found[0];
    }

    /** Adds every variable {@code e} reads. */
    public static void vars(Expr e, Set<Sym> into) {
        IrWalker.visit(e, x -> {
            if (x instanceof Expr.Var v) {
                into.add(v.sym());
            }
        });
    }

    /**
     * @return whether {@code c} or a statement in it may write an array element: it assigns one, or calls a method
     *     (which may write into an array it is given)
     */
    public static boolean mayWriteElements(Core c) {
        boolean[] may = {false};
        forEach(c, s -> {
            may[0] |= s instanceof Core.Assign a && a.target() instanceof Expr.ArrayLoad || s instanceof Core.Eval;
            for (Expr e : exprs(s)) {
                IrWalker.visit(e, x -> may[0] |= x instanceof Expr.Call || x instanceof Expr.Assign
                        || x instanceof Expr.IncDec);
            }
        });
        return may[0];
    }

    /**
     * @return whether {@code c} or a statement in it calls a method other than the JDK's math functions with an
     *     array argument, or any method as a statement: a call that may write into the arrays it is given
     */
    public static boolean callsWithArrays(Core c) {
        boolean[] calls = {false};
        forEach(c, s -> {
            calls[0] |= s instanceof Core.Eval;
            for (Expr e : exprs(s)) {
                IrWalker.visit(e, x -> calls[0] |= x instanceof Expr.Call || x instanceof Expr.MathCall m
                        && !dev.adjoint.processor.rules.MathFunctions.isJdkMath(m)
                        && m.args().stream().anyMatch(a -> a.type().isArray()));
            }
        });
        return calls[0];
    }

    /**
     * @return whether {@code e} can be evaluated once more where it is evaluated, with the same value and no effect:
     *     no call but the math functions, no assignment, allocation or value from the tape (a loop's bounds, tested
     *     once more before the loop)
     */
    public static boolean duplicable(Expr e) {
        boolean[] ok = {true};
        IrWalker.visit(e, x -> ok[0] &= !(x instanceof Expr.Call || x instanceof Expr.Assign
                || x instanceof Expr.IncDec || x instanceof Expr.NewArray || x instanceof Expr.ArrayInit
                || x instanceof Expr.Pop || x instanceof Expr.Hole));
        return ok[0];
    }

    /** @return the variable at the root of a target: {@code a} for {@code a[i][j]} */
    public static Sym root(Expr target) {
        Expr t = target;
        while (t instanceof Expr.ArrayLoad al) {
            t = al.array();
        }
        if (t instanceof Expr.Var v) {
            return v.sym();
        }
        throw new IllegalStateException("assignment target is not a variable: " + target);
    }
}
