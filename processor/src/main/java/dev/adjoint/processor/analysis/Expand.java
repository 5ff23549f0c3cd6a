package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.SymbolTable;
import dev.adjoint.processor.ir.Ty;
import dev.adjoint.processor.lower.Choice;
import dev.adjoint.processor.lower.CoreWalk;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings active values into the form the rules expect: a {@code ?:} that chooses between active values becomes an
 * {@code if} that assigns a temporary (so only the branch taken is differentiated), and an array initializer with
 * active elements becomes an allocation and one assignment per element.
 */
public final class Expand {
    private final Activity activity;
    private final SymbolTable symbols;
    private boolean changed;

    private Expand(Activity activity, SymbolTable symbols) {
        this.activity = activity;
        this.symbols = symbols;
    }

    /** The expanded body. */
    public record Expanded(Core.Block body, boolean changed) {}

    /**
     * @param body     the lowered body
     * @param activity its activity
     * @param symbols  the method's symbol table, which hands out the temporaries
     * @return the expanded body ({@code changed} tells whether anything was rewritten; its statements are new
     *     nodes either way)
     */
    public static Expanded expand(Core.Block body, Activity activity, SymbolTable symbols) {
        Expand e = new Expand(activity, symbols);
        Core.Block out = e.block(body);
        return new Expanded(out, e.changed);
    }

    private Core.Block block(Core.Block b) {
        List<Core> out = new ArrayList<>();
        for (Core c : b.stmts()) {
            stmt(c, out);
        }
        return new Core.Block(out, b.pos());
    }

    private void stmt(Core c, List<Core> out) {
        c.accept(new Core.PrimalVisitor<Void>() {
            @Override
            public Void visitBlock(Core.Block b) {
                out.add(CoreWalk.mapBlocks(b, Expand.this::block));
                return null;
            }

            @Override
            public Void visitIf(Core.If i) {
                out.add(CoreWalk.mapBlocks(i, Expand.this::block)); // a condition is a boolean: never active
                return null;
            }

            @Override
            public Void visitFor(Core.For f) {
                out.add(CoreWalk.mapBlocks(f, Expand.this::block)); // an int loop: start and bound are not active
                return null;
            }

            @Override
            public Void visitWhile(Core.While l) {
                out.add(CoreWalk.mapBlocks(l, Expand.this::block));
                return null;
            }

            @Override
            public Void visitDeclare(Core.Declare d) {
                if (d.init() instanceof Expr.ArrayInit init && activity.isActive(init)) {
                    changed = true;
                    out.add(new Core.Declare(d.sym(), allocation(init), d.pos()));
                    fill(new Expr.Var(d.sym(), d.pos()), init, out);
                } else {
                    out.add(new Core.Declare(d.sym(), value(d.init(), out), d.origin(), d.pos()));
                }
                return null;
            }

            @Override
            public Void visitAssign(Core.Assign a) {
                if (a.value() instanceof Expr.ArrayInit init && activity.isActive(init)) {
                    changed = true;
                    out.add(new Core.Assign(a.target(), allocation(init), a.pos()));
                    fill(a.target(), init, out);
                } else {
                    out.add(new Core.Assign(a.target(), value(a.value(), out), a.pos()));
                }
                return null;
            }

            @Override
            public Void visitEval(Core.Eval e) {
                out.add(e); // a call's arguments are not active (ADJ008)
                return null;
            }

            @Override
            public Void visitThrow(Core.Throw t) {
                out.add(t);
                return null;
            }
        });
    }

    private static Expr allocation(Expr.ArrayInit init) {
        Expr len = new Expr.Lit(Integer.toString(init.elements().size()), Ty.INT, init.pos());
        return new Expr.NewArray(init.type(), List.of(len), init.pos());
    }

    private void fill(Expr array, Expr.ArrayInit init, List<Core> out) {
        for (int k = 0; k < init.elements().size(); k++) {
            Expr index = new Expr.Lit(Integer.toString(k), Ty.INT, init.pos());
            Expr slot = new Expr.ArrayLoad(array, index, init.pos());
            Expr el = init.elements().get(k);
            if (el instanceof Expr.ArrayInit row) {
                out.add(new Core.Assign(slot, allocation(row), init.pos()));
                fill(slot, row, out);
            } else {
                out.add(new Core.Assign(slot, value(el, out), init.pos()));
            }
        }
    }

    /** Replaces each active {@code ?:} in an active value by a temporary assigned in an {@code if}. */
    private Expr value(Expr e, List<Core> out) {
        if (e == null || !activity.isActive(e) && !(e.type().isArray() && e instanceof Expr.Cond)) {
            return e;
        }
        return e.accept(new Value(out));
    }

    /** {@link #value} of an active value (or a {@code ?:} of arrays), by kind; the statements go to {@code out}. */
    private final class Value implements Expr.Visitor<Expr> {
        private final List<Core> out;

        Value(List<Core> out) {
            this.out = out;
        }

        @Override
        public Expr visitCond(Expr.Cond c) {
            changed = true;
            List<Core> produced = new ArrayList<>();
            Expr read = Choice.toIf(c, c.cond(), symbols, Expand.this::value, produced);
            // each branch assigns the temporary its value, which may be an initializer with active elements
            // (c ? new double[] {x} : new double[] {2 * x}): expanded like any other assignment
            for (Core p : produced) {
                stmt(p, out);
            }
            return read;
        }

        @Override
        public Expr visitBinary(Expr.Binary e) {
            return Rewrite.children(e, x -> value(x, out));
        }

        @Override
        public Expr visitUnary(Expr.Unary e) {
            return Rewrite.children(e, x -> value(x, out));
        }

        @Override
        public Expr visitCast(Expr.Cast e) {
            return Rewrite.children(e, x -> value(x, out));
        }

        @Override
        public Expr visitMathCall(Expr.MathCall e) {
            return Rewrite.children(e, x -> value(x, out));
        }

        // leaves: nothing to choose between

        @Override
        public Expr visitVar(Expr.Var e) {
            return e;
        }

        @Override
        public Expr visitArrayLoad(Expr.ArrayLoad e) {
            return e; // its index is an int: never active
        }

        @Override
        public Expr visitArrayInit(Expr.ArrayInit e) {
            return e; // expanded where it is assigned (stmt, fill)
        }

        // never active: value never gets them

        @Override
        public Expr visitLit(Expr.Lit e) {
            return e;
        }

        @Override
        public Expr visitStaticField(Expr.StaticField e) {
            return e;
        }

        @Override
        public Expr visitLength(Expr.Length e) {
            return e;
        }

        @Override
        public Expr visitNewArray(Expr.NewArray e) {
            return e;
        }

        @Override
        public Expr visitCall(Expr.Call e) {
            return e;
        }

        @Override
        public Expr visitAssign(Expr.Assign e) {
            throw notLowered(e);
        }

        @Override
        public Expr visitIncDec(Expr.IncDec e) {
            throw notLowered(e);
        }

        @Override
        public Expr visitHole(Expr.Hole e) {
            throw notLowered(e);
        }

        @Override
        public Expr visitPop(Expr.Pop e) {
            throw notLowered(e);
        }
    }

    private static IllegalStateException notLowered(Expr e) {
        return new IllegalStateException("expanding " + e.getClass().getSimpleName()
                + ", which a lowered value never holds: " + e);
    }
}
