package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.lower.CoreWalk;
import dev.adjoint.processor.rules.MathFunctions;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The "useful" half of activity analysis: the variables whose value may reach the result along a path the
 * derivative follows (an assigned value, an operand of arithmetic or of a differentiable {@code Math} function, a
 * branch of {@code ?:}), as opposed to conditions, indexes, sizes and integers, through which no derivative flows.
 * With the "varied" half ({@link Activity}), a variable is active when it is both: only then can its adjoint be
 * non-zero, so only then does the reverse sweep need code for it. An unused {@code u = sin(x) * exp(x)} is varied but
 * not useful, and gets none.
 *
 * <p>Flow-insensitive, to a fixed point (a loop's later iterations are covered by the earlier ones'). Arrays are
 * judged by what they may hold ({@link PointsTo}): an abstract array is useful when a useful variable may hold it or
 * it may be a row of a useful matrix, and an array variable is useful when it may hold a useful array somewhere, since
 * a write through one variable is a write into the array another reads.
 */
final class Usefulness {
    private final Set<Sym> useful = new HashSet<>();
    private final List<Sym> arrays = new ArrayList<>();
    private final BitSet usefulLocs = new BitSet();
    private final PointsTo pointsTo;

    private Usefulness(PointsTo pointsTo) {
        this.pointsTo = pointsTo;
    }

    /**
     * @param body     the lowered body
     * @param result   the variable the method returns
     * @param params   the method's parameters
     * @param pointsTo which arrays each array variable may hold
     * @return the useful variables
     */
    static Set<Sym> analyse(Core.Block body, Sym result, List<Sym> params, PointsTo pointsTo) {
        Usefulness u = new Usefulness(pointsTo);
        Set<Sym> seenArrays = new HashSet<>();
        for (Sym p : params) {
            if (p.type().isArray() && seenArrays.add(p)) {
                u.arrays.add(p);
            }
        }
        CoreWalk.forEach(body, s -> {
            if (s instanceof Core.Declare d && d.sym().type().isArray() && seenArrays.add(d.sym())) {
                u.arrays.add(d.sym());
            } else if (s instanceof Core.Assign a && a.target().type().isArray()
                    && seenArrays.add(CoreWalk.root(a.target()))) {
                u.arrays.add(CoreWalk.root(a.target()));
            }
        });
        u.mark(result);
        boolean changed = true;
        while (changed) {
            changed = u.spreadOverArrays();
            for (Core s : statements(body)) {
                if (s instanceof Core.Declare d && u.useful.contains(d.sym())) {
                    changed |= u.reach(d.init());
                } else if (s instanceof Core.Assign a && u.useful.contains(CoreWalk.root(a.target()))) {
                    changed |= u.reach(a.value());
                }
            }
        }
        return u.useful;
    }

    private static List<Core> statements(Core.Block body) {
        List<Core> all = new ArrayList<>();
        CoreWalk.forEach(body, all::add);
        return all;
    }

    /** Marks a variable useful, with every array it may hold; returns whether anything was new. */
    private boolean mark(Sym s) {
        boolean changed = useful.add(s);
        if (changed && s.type().isArray()) {
            usefulLocs.or(pointsTo.everHeld(s));
        }
        return changed;
    }

    /**
     * The rows of a useful matrix are useful, and so is every array variable that may hold a useful array; returns
     * whether anything was new.
     */
    private boolean spreadOverArrays() {
        boolean changed = false;
        for (boolean grew = true; grew; ) {
            grew = false;
            for (int l = usefulLocs.nextSetBit(0); l >= 0; l = usefulLocs.nextSetBit(l + 1)) {
                BitSet rows = pointsTo.everRows(l);
                BitSet before = (BitSet) usefulLocs.clone();
                usefulLocs.or(rows);
                grew |= !usefulLocs.equals(before);
            }
            for (Sym a : arrays) {
                if (!useful.contains(a) && pointsTo.everHeld(a).intersects(usefulLocs)) {
                    grew |= mark(a);
                }
            }
            changed |= grew;
        }
        return changed;
    }

    /** Marks the variables a value's derivative flows from; returns whether anything was new. */
    private boolean reach(Expr e) {
        if (e == null || !e.type().isFloating() && !e.type().isArray()) {
            return false; // integers and booleans carry no derivative
        }
        if (e instanceof Expr.Var v) {
            return mark(v.sym());
        } else if (e instanceof Expr.ArrayLoad al) {
            Expr t = al;
            while (t instanceof Expr.ArrayLoad inner) {
                t = inner.array(); // the array, not the index
            }
            return reach(t);
        } else if (e instanceof Expr.Unary u) {
            return reach(u.operand());
        } else if (e instanceof Expr.Binary b) {
            return reach(b.left()) | reach(b.right());
        } else if (e instanceof Expr.Cond c) {
            return reach(c.then()) | reach(c.otherwise()); // not the condition
        } else if (e instanceof Expr.Cast c) {
            return reach(c.operand());
        } else if (e instanceof Expr.MathCall m) {
            boolean changed = false;
            if (!dev.adjoint.processor.rules.Registry.BUILTINS.isPiecewiseConstant(m.callee())) {
                for (Expr a : m.args()) {
                    changed |= reach(a);
                }
            }
            return changed;
        } else if (e instanceof Expr.ArrayInit i) {
            boolean changed = false;
            for (Expr x : i.elements()) {
                changed |= reach(x);
            }
            return changed;
        } else if (e instanceof Expr.Lit || e instanceof Expr.StaticField || e instanceof Expr.Length
                || e instanceof Expr.NewArray || e instanceof Expr.Call) {
            return false; // constants, sizes, fresh arrays; calls take no varied argument (ADJ008)
        }
        throw new IllegalStateException("usefulness: no case for " + e.getClass().getSimpleName());
    }
}
