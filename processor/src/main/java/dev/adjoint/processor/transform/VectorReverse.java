package dev.adjoint.processor.transform;

import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.IrWalker;
import dev.adjoint.processor.ir.Origin;
import dev.adjoint.processor.ir.Pos;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.SymbolTable;
import dev.adjoint.processor.ir.Ty;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse mode in vector mode, IR in and IR out: the sweeps of a vector-Jacobian product rewritten so that every
 * adjoint carries one value per seed in a last dimension (the adjoint of a {@code double} becomes a
 * {@code double[m]}, of a {@code double[]} a {@code double[n][m]}), and the reverse sweep starts from the m unit
 * seeds at once: seed d is e_d, so direction d of each parameter's adjoint ends as row d of the Jacobian. One
 * forward sweep (one tape) and one reverse sweep then give all m rows, where m separate reverse sweeps would
 * each rerun the forward sweep.
 *
 * <p>Every adjoint statement is linear in the adjoints it reads (a rule's share is ∂z/∂x · g), so direction d of
 * the vector sweep is the scalar sweep seeded with e_d. Each adjoint statement becomes a loop over the directions
 * ({@link DirectionLoops}: the partial derivatives and indices computed once before it, adjacent loops fused).
 * Control flow, saves and restores are the scalar sweeps'.
 */
final class VectorReverse {
    private final Gradient g;
    private final SymbolTable symbols;
    private final Map<Sym, Sym> vector = new HashMap<>();
    private final Sym width;
    private final Sym direction;
    /** The scalar adjoints' arrays, allocated once at the top of the reverse sweep. */
    private final List<Core> allocations = new ArrayList<>();
    private final DirectionLoops loops;

    private VectorReverse(Gradient g, Set<Sym> adjoints) {
        this.g = g;
        this.symbols = g.symbols();
        for (Sym s : adjoints) {
            vector.put(s, symbols.retyped(s, Shadows.withDirections(s.type())));
        }
        this.width = symbols.fresh("m", Ty.INT);
        this.direction = symbols.fresh("d", Ty.INT);
        this.loops = new DirectionLoops(symbols, vector.keySet(), direction, width, "p");
    }

    /**
     * @param g         a reverse-mode derivative built for {@code VJP_DIRECTIONS}: the sweeps of a VJP without its
     *                  seed
     * @param adjoints  every adjoint the sweeps use
     * @param resultBar the result's adjoint, to seed; null when the result is not active
     * @return the derivative with one value per seed in every adjoint, {@link Gradient#width()} the number of seeds
     */
    static Gradient of(Gradient g, Set<Sym> adjoints, Sym resultBar) {
        VectorReverse v = new VectorReverse(g, adjoints);
        Core.Block forward = v.block(g.forward(), false);
        List<Core> reverse = new ArrayList<>();
        if (resultBar != null) {
            Core.Block body = v.block(g.reverse(), true);
            reverse.addAll(v.allocations);
            reverse.add(v.seeds(resultBar));
            reverse.addAll(body.stmts());
        }
        Map<Sym, Sym> params = new LinkedHashMap<>();
        g.adjoints().forEach((p, bar) -> params.put(p, v.vector.get(bar)));
        return new Gradient(g.request(), forward, new Core.Block(reverse, g.reverse().pos()), g.result(), params,
                g.usesTape(), v.symbols, g.outName(), g.tapeName(), null, v.width);
    }

    /** {@code for (i < m) resultBar[i][i] += 1.0}: seed i is the unit vector e_i. */
    private Core seeds(Sym resultBar) {
        Sym i = symbols.fresh("i", Ty.INT);
        Expr diagonal = new Expr.ArrayLoad(new Expr.ArrayLoad(var(vector.get(resultBar)), var(i), Pos.NONE), var(i),
                Pos.NONE);
        return new Core.For(i, new Expr.Lit("0", Ty.INT, Pos.NONE), Expr.BinOp.LT, var(width), 1,
                new Core.Block(List.of(new Core.Accumulate(diagonal, new Expr.Lit("1.0", Ty.DOUBLE, Pos.NONE), false,
                        new Origin("seed", "d(result)/d(result) = I, one unit seed per output"), Pos.NONE)),
                        Pos.NONE), Pos.NONE);
    }

    private Core.Block block(Core.Block b, boolean reverse) {
        List<Core> out = new ArrayList<>();
        for (Core c : b.stmts()) {
            stmt(c, reverse, out);
        }
        return new Core.Block(loops.fused(out), b.pos());
    }

    private void stmt(Core c, boolean reverse, List<Core> out) {
        c.accept(new Core.Visitor<Void>() {
            @Override
            public Void visitBlock(Core.Block b) {
                out.add(block(b, reverse));
                return null;
            }

            @Override
            public Void visitDeclare(Core.Declare d) {
                if (!vector.containsKey(d.sym())) {
                    out.add(primal(d, d.init()));
                } else if (d.sym().type() == Ty.DOUBLE) {
                    // double tBar = term: its array is allocated once, and each direction assigned here
                    allocations.add(new Core.Declare(vector.get(d.sym()), new Expr.NewArray(Ty.DOUBLE_ARRAY,
                            List.of(var(width)), Pos.NONE), d.pos()));
                    perDirection(var(d.sym()), d.init(), d.origin(), d.pos(), Kind.ASSIGN, out);
                } else {
                    out.add(new Core.Declare(vector.get(d.sym()), shadow(d.init()), d.origin(), d.pos()));
                }
                return null;
            }

            @Override
            public Void visitAssign(Core.Assign a) {
                if (!isAdjoint(a.target())) {
                    out.add(primal(a, a.value()));
                } else if (a.target().type() == Ty.DOUBLE) {
                    perDirection(a.target(), a.value(), a.origin(), a.pos(), Kind.ASSIGN, out);
                } else {
                    out.add(new Core.Assign(arrays(a.target()), shadow(a.value()), a.origin(), a.pos()));
                }
                return null;
            }

            @Override
            public Void visitEval(Core.Eval e) {
                out.add(primal(e, e.call()));
                return null;
            }

            @Override
            public Void visitIf(Core.If i) {
                out.add(new Core.If(primalExpr(i.cond()), block(i.then(), reverse), block(i.otherwise(), reverse),
                        i.pos()));
                return null;
            }

            @Override
            public Void visitFor(Core.For f) {
                out.add(new Core.For(f.index(), primalExpr(f.from()), f.cmp(), primalExpr(f.bound()), f.step(),
                        block(f.body(), reverse), f.pos()));
                return null;
            }

            @Override
            public Void visitWhile(Core.While w) {
                out.add(new Core.While(block(w.preCond(), reverse), primalExpr(w.cond()), block(w.body(), reverse),
                        block(w.update(), reverse), w.testFirst(), w.pos()));
                return null;
            }

            @Override
            public Void visitThrow(Core.Throw t) {
                out.add(t);
                return null;
            }

            @Override
            public Void visitSave(Core.Save s) {
                out.add(new Core.Save(arrays(s.value()), s.pos()));
                return null;
            }

            @Override
            public Void visitRestore(Core.Restore r) {
                out.add(new Core.Restore(arrays(r.target()), r.declare(), r.pos()));
                return null;
            }

            @Override
            public Void visitAccumulate(Core.Accumulate a) {
                perDirection(a.adjoint(), a.term(), a.origin(), a.pos(), a.subtract() ? Kind.SUBTRACT : Kind.ADD,
                        out);
                return null;
            }

            @Override
            public Void visitZero(Core.Zero z) {
                perDirection(z.adjoint(), null, null, z.pos(), Kind.ZERO, out);
                return null;
            }

            @Override
            public Void visitSwitch(Core.Switch s) {
                List<Core.Block> cases = new ArrayList<>();
                s.cases().forEach(k -> cases.add(block(k, reverse)));
                out.add(new Core.Switch(primalExpr(s.selector()), cases, s.pos()));
                return null;
            }

            @Override
            public Void visitNote(Core.Note n) {
                out.add(n);
                return null;
            }
        });
    }

    private enum Kind { ASSIGN, ADD, SUBTRACT, ZERO }

    /**
     * {@code target op= term} for each direction d, with target and the adjoints term reads taken at d; the parts
     * that read no adjoint are computed once, before the loop.
     */
    private void perDirection(Expr target, Expr term, Origin origin, Pos pos, Kind kind, List<Core> out) {
        loops.loop(java.util.Arrays.asList(target, term), parts -> {
            Expr at = atDirection(parts.get(0));
            return switch (kind) {
                case ASSIGN -> new Core.Assign(at, atDirection(parts.get(1)), origin, pos);
                case ADD, SUBTRACT -> new Core.Accumulate(at, atDirection(parts.get(1)), kind == Kind.SUBTRACT,
                        origin, pos);
                case ZERO -> new Core.Zero(at, pos);
            };
        }, pos, out);
    }

    /** @return {@code e} with every adjoint's scalar value read at direction d: {@code gBar[d]}, {@code xBar[i][d]} */
    private Expr atDirection(Expr e) {
        return Rewrite.substitute(e, x -> {
            if (isAdjoint(x) && x.type() == Ty.DOUBLE) {
                return new Expr.ArrayLoad(arrays(x), var(direction), Pos.NONE);
            }
            return null;
        });
    }

    /** @return {@code e} with each adjoint variable replaced by its vector form (arrays stay arrays, one rank up) */
    private Expr arrays(Expr e) {
        return Rewrite.substitute(e, x -> x instanceof Expr.Var v && vector.containsKey(v.sym())
                ? var(vector.get(v.sym())) : null);
    }

    /**
     * @return the vector form of what an adjoint array is bound to: zeros in the array's shape with a directions
     *     dimension, another adjoint array, or null
     */
    private Expr shadow(Expr init) {
        if (init instanceof Expr.NewArray n) {
            List<Expr> dims = new ArrayList<>(n.dims());
            if (n.type() == Ty.DOUBLE_ARRAY) {
                dims.add(var(width));
            }
            return new Expr.NewArray(Shadows.withDirections(n.type()), dims, n.pos());
        }
        if (init instanceof Expr.Call call && Shadows.isZerosLike(call)) {
            return Shadows.directionsLike(call.args().get(0), var(width));
        }
        if (init instanceof Expr.Lit l && l.text().equals("null")) {
            return new Expr.Lit("null", Shadows.withDirections(l.type()), l.pos());
        }
        if (isAdjoint(init)) {
            return arrays(init);
        }
        throw new IllegalStateException("vector reverse mode: an adjoint array bound to " + init);
    }

    /** A primal statement: it must not read an adjoint. */
    private Core primal(Core c, Expr e) {
        primalExpr(e);
        return c;
    }

    private Expr primalExpr(Expr e) {
        if (mentionsAdjoint(e)) {
            throw new IllegalStateException("vector reverse mode: an adjoint read outside an adjoint statement: " + e);
        }
        return e;
    }

    /** @return whether {@code e} is an adjoint or an element or row of one */
    private boolean isAdjoint(Expr e) {
        Expr base = e;
        while (base instanceof Expr.ArrayLoad al) {
            base = al.array();
        }
        return base instanceof Expr.Var v && vector.containsKey(v.sym());
    }

    private boolean mentionsAdjoint(Expr e) {
        boolean[] found = {false};
        IrWalker.visit(e, x -> found[0] |= x instanceof Expr.Var v && vector.containsKey(v.sym()));
        return found[0];
    }

    private static Expr var(Sym s) {
        return new Expr.Var(s, Pos.NONE);
    }
}
