package dev.adjoint.processor.transform;

import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.IrWalker;
import dev.adjoint.processor.ir.Pos;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.SymbolTable;
import dev.adjoint.processor.ir.Ty;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The loops over the directions of vector mode, forward ({@link ForwardMode#vector}) and reverse
 * ({@link VectorReverse}): a derivative statement that reads and writes one value per direction
 * ({@code xDot[i][d]}, {@code wBar[j][d]}) becomes {@code for (int d = 0; d < width; d++)} around it, with the parts
 * of it that do not depend on the direction (the partial derivatives, the indices) computed once before the loop,
 * except inside the arms of {@code ?:}, {@code &&} and {@code ||}, which stay where they are evaluated only when
 * chosen. Adjacent loops are then fused ({@link #fused}).
 */
final class DirectionLoops {
    private final SymbolTable symbols;
    private final Set<Sym> directional;
    private final Sym direction;
    private final Sym width;
    private final String prefix;
    private int parts;
    /** The statements made here: hoisted parts and loops over the directions, which {@link #fused} may merge. */
    private final Set<Core> hoists = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<Core> loops = Collections.newSetFromMap(new IdentityHashMap<>());

    /**
     * @param directional the derivatives that carry one value per direction in a last dimension
     * @param direction   the loop index over the directions
     * @param width       the number of directions
     * @param prefix      the base name of the hoisted parts
     */
    DirectionLoops(SymbolTable symbols, Set<Sym> directional, Sym direction, Sym width, String prefix) {
        this.symbols = symbols;
        this.directional = directional;
        this.direction = direction;
        this.width = width;
        this.prefix = prefix;
    }

    /**
     * Adds to {@code out} the direction-free parts of {@code each} (a statement made of {@code parts}, rebuilt by
     * {@code rebuild}), then the loop over the directions around what is left.
     *
     * @param parts   the statement's expressions, in evaluation order (the target's indices first)
     * @param rebuild the statement from its expressions with those parts replaced
     */
    void loop(List<Expr> parts, java.util.function.Function<List<Expr>, Core> rebuild, Pos pos, List<Core> out) {
        List<Expr> kept = new ArrayList<>();
        for (Expr e : parts) {
            kept.add(e == null ? null : hoist(e, out));
        }
        Core loop = new Core.For(direction, new Expr.Lit("0", Ty.INT, Pos.NONE), Expr.BinOp.LT, var(width), 1,
                new Core.Block(List.of(rebuild.apply(kept)), Pos.NONE), pos);
        loops.add(loop);
        out.add(loop);
    }

    /** @return whether {@code c} is a loop over the directions made here */
    boolean isLoop(Core c) {
        return loops.contains(c);
    }

    /**
     * @return {@code e} with its largest sub-expressions that do not depend on the direction and are evaluated
     *     unconditionally each computed into a local declared in {@code out}
     */
    private Expr hoist(Expr e, List<Core> out) {
        if (!directional(e)) {
            if (e instanceof Expr.Lit || e instanceof Expr.Var || e instanceof Expr.StaticField
                    || !(e.type() == Ty.DOUBLE || e.type() == Ty.INT || e.type() == Ty.LONG
                            || e.type() == Ty.BOOLEAN)) {
                return e;
            }
            Sym p = symbols.fresh(prefix + (++parts), e.type());
            Core declare = new Core.Declare(p, e, e.pos());
            hoists.add(declare);
            out.add(declare);
            return var(p);
        }
        if (e instanceof Expr.Cond c) {
            return new Expr.Cond(hoist(c.cond(), out), c.then(), c.otherwise(), c.type(), c.pos());
        }
        if (e instanceof Expr.Binary b && (b.op() == Expr.BinOp.AND || b.op() == Expr.BinOp.OR)) {
            return new Expr.Binary(b.op(), hoist(b.left(), out), b.right(), b.type(), b.pos());
        }
        return Rewrite.children(e, x -> hoist(x, out));
    }

    private boolean directional(Expr e) {
        boolean[] found = {false};
        IrWalker.visit(e, x -> found[0] |= x instanceof Expr.Var v
                && (v.sym() == direction || directional.contains(v.sym())));
        return found[0];
    }

    /**
     * Fuses each run of loops over the directions and their hoisted parts, with nothing else between them (no
     * primal statement, no source comment), into the hoisted parts, each computed once, then one loop: the
     * directions never interact, each direction keeps its order, and the hoisted parts read no derivative, which is
     * all the loops write.
     */
    List<Core> fused(List<Core> stmts) {
        List<Core> out = new ArrayList<>();
        List<Core.Declare> hoisted = new ArrayList<>();
        List<Core> bodies = new ArrayList<>();
        Pos first = null;
        for (Core c : stmts) {
            if (hoists.contains(c)) {
                hoisted.add((Core.Declare) c);
            } else if (loops.contains(c)) {
                Core.For f = (Core.For) c;
                first = first == null ? f.pos() : first;
                bodies.addAll(f.body().stmts());
            } else {
                flush(hoisted, bodies, first, out);
                first = null;
                out.add(c);
            }
        }
        flush(hoisted, bodies, first, out);
        return out;
    }

    private void flush(List<Core.Declare> hoisted, List<Core> bodies, Pos pos, List<Core> out) {
        // a part computed twice in the run (the index of zBar[i % 2], read and then written) is computed once
        List<Core.Declare> kept = new ArrayList<>();
        Map<Sym, Expr> same = new HashMap<>();
        for (Core.Declare d : hoisted) {
            Core.Declare earlier = pops(d.init()) ? null : kept.stream()
                    .filter(k -> IrWalker.same(k.init(), d.init())).findFirst().orElse(null);
            if (earlier == null) {
                kept.add(d);
            } else {
                same.put(d.sym(), var(earlier.sym()));
            }
        }
        out.addAll(kept);
        if (!bodies.isEmpty()) {
            List<Core> each = new ArrayList<>();
            for (Core c : bodies) {
                each.add(same.isEmpty() ? c : replaced(c, same));
            }
            Core loop = new Core.For(direction, new Expr.Lit("0", Ty.INT, Pos.NONE), Expr.BinOp.LT, var(width), 1,
                    new Core.Block(each, Pos.NONE), pos);
            loops.add(loop);
            out.add(loop);
        }
        hoisted.clear();
        bodies.clear();
    }

    /** @return a statement of a loop body with the parts in {@code same} read from their first computation */
    private static Core replaced(Core c, Map<Sym, Expr> same) {
        UnaryOperator<Expr> r = e -> Rewrite.substitute(e, x -> x instanceof Expr.Var v ? same.get(v.sym()) : null);
        if (c instanceof Core.Assign a) {
            return new Core.Assign(r.apply(a.target()), r.apply(a.value()), a.origin(), a.pos());
        } else if (c instanceof Core.Accumulate a) {
            return new Core.Accumulate(r.apply(a.adjoint()), r.apply(a.term()), a.subtract(), a.origin(), a.pos());
        } else if (c instanceof Core.Zero z) {
            return new Core.Zero(r.apply(z.adjoint()), z.pos());
        }
        throw new IllegalStateException("not a statement of a loop over the directions: " + c);
    }

    private static boolean pops(Expr e) {
        boolean[] found = {false};
        IrWalker.visit(e, x -> found[0] |= x instanceof Expr.Pop);
        return found[0];
    }

    private static Expr var(Sym s) {
        return new Expr.Var(s, Pos.NONE);
    }
}
