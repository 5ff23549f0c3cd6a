package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.lower.CoreWalk;
import dev.adjoint.processor.rules.MathFunctions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * The "useful" half of activity analysis: the variables whose value may reach the result along a path the
 * derivative follows (an assigned value, an operand of arithmetic or of a differentiable {@code Math} function, a
 * branch of {@code ?:}), as opposed to conditions, indexes, sizes and integers, through which no derivative flows.
 * With the "varied" half ({@link Activity}), a variable is active when it is both: only then can its adjoint be
 * non-zero, so only then does the reverse sweep need code for it. An unused {@code u = sin(x) * exp(x)} is varied but
 * not useful, and gets none.
 *
 * <p>Flow-insensitive, to a fixed point (a loop's later iterations are covered by the earlier ones'). An array
 * variable is useful as a whole, and so is every array variable that may alias it, since a write through one is a
 * write into the other.
 */
final class Usefulness {
    private final Set<Sym> useful = new HashSet<>();
    private final List<Sym> arrays = new ArrayList<>();
    private final BiPredicate<Sym, Sym> mayAlias;

    private Usefulness(BiPredicate<Sym, Sym> mayAlias) {
        this.mayAlias = mayAlias;
    }

    /**
     * @param body     the lowered body
     * @param result   the variable the method returns
     * @param mayAlias whether two array variables may refer to the same array
     * @return the useful variables
     */
    static Set<Sym> analyse(Core.Block body, Sym result, BiPredicate<Sym, Sym> mayAlias) {
        Usefulness u = new Usefulness(mayAlias);
        Set<Sym> seenArrays = new HashSet<>();
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
            changed = false;
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

    /** Marks a variable useful, with every array it may alias; returns whether anything was new. */
    private boolean mark(Sym s) {
        boolean changed = useful.add(s);
        if (changed && s.type().isArray()) {
            for (Sym other : arrays) {
                if (mayAlias.test(s, other)) {
                    changed |= mark(other);
                }
            }
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
            if (!MathFunctions.isPiecewiseConstant(m.fn())) {
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
