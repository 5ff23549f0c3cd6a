package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.lower.CoreWalk;
import dev.adjoint.processor.rules.Registry;
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

    private Registry registry = Registry.BUILTINS;

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
    static Set<Sym> analyse(Core.Block body, Sym result, List<Sym> params, PointsTo pointsTo, Registry registry) {
        Usefulness u = new Usefulness(pointsTo);
        u.registry = registry;
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
        return e.accept(reachVisitor);
    }

    private final Expr.Visitor<Boolean> reachVisitor = new Expr.Visitor<>() {
        @Override
        public Boolean visitVar(Expr.Var e) {
            return mark(e.sym());
        }

        @Override
        public Boolean visitArrayLoad(Expr.ArrayLoad e) {
            Expr t = e;
            while (t instanceof Expr.ArrayLoad inner) {
                t = inner.array(); // the array, not the index
            }
            return reach(t);
        }

        @Override
        public Boolean visitUnary(Expr.Unary e) {
            return reach(e.operand());
        }

        @Override
        public Boolean visitBinary(Expr.Binary e) {
            return reach(e.left()) | reach(e.right());
        }

        @Override
        public Boolean visitCond(Expr.Cond e) {
            return reach(e.then()) | reach(e.otherwise()); // not the condition
        }

        @Override
        public Boolean visitCast(Expr.Cast e) {
            return reach(e.operand());
        }

        @Override
        public Boolean visitMathCall(Expr.MathCall e) {
            boolean changed = false;
            if (!registry.isPiecewiseConstant(e.callee())) {
                for (Expr a : e.args()) {
                    changed |= reach(a);
                }
            }
            return changed;
        }

        @Override
        public Boolean visitArrayInit(Expr.ArrayInit e) {
            boolean changed = false;
            for (Expr x : e.elements()) {
                changed |= reach(x);
            }
            return changed;
        }

        // constants, sizes, fresh arrays; calls take no varied argument (ADJ008)

        @Override
        public Boolean visitLit(Expr.Lit e) {
            return false;
        }

        @Override
        public Boolean visitStaticField(Expr.StaticField e) {
            return false;
        }

        @Override
        public Boolean visitLength(Expr.Length e) {
            return false;
        }

        @Override
        public Boolean visitNewArray(Expr.NewArray e) {
            return false;
        }

        @Override
        public Boolean visitCall(Expr.Call e) {
            return false;
        }

        @Override
        public Boolean visitAssign(Expr.Assign e) {
            throw noCase(e);
        }

        @Override
        public Boolean visitIncDec(Expr.IncDec e) {
            throw noCase(e);
        }

        @Override
        public Boolean visitHole(Expr.Hole e) {
            throw noCase(e);
        }

        @Override
        public Boolean visitPop(Expr.Pop e) {
            throw noCase(e);
        }
    };

    private static IllegalStateException noCase(Expr e) {
        return new IllegalStateException("usefulness: no case for " + e.getClass().getSimpleName()
                + ", which a lowered value never holds: " + e);
    }
}
