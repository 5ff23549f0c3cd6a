package dev.adjoint.processor.lower;

import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.IrWalker;
import dev.adjoint.processor.ir.Sym;
import java.util.Set;
import java.util.function.Consumer;

/** Small queries over lowered code. */
public final class CoreWalk {
    private CoreWalk() {}

    /** Calls {@code action} on every statement of {@code c}, parents before children. */
    public static void forEach(Core c, Consumer<Core> action) {
        action.accept(c);
        if (c instanceof Core.Block b) {
            b.stmts().forEach(s -> forEach(s, action));
        } else if (c instanceof Core.If i) {
            forEach(i.then(), action);
            forEach(i.otherwise(), action);
        } else if (c instanceof Core.For f) {
            forEach(f.body(), action);
        } else if (c instanceof Core.While l) {
            forEach(l.preCond(), action);
            forEach(l.body(), action);
            forEach(l.update(), action);
        }
    }

    /** Adds the variables assigned (or declared) anywhere in {@code c}; for array elements, the array variable. */
    public static void assignedVars(Core c, Set<Sym> into) {
        forEach(c, s -> {
            if (s instanceof Core.Assign a) {
                into.add(root(a.target()));
            } else if (s instanceof Core.Declare d) {
                into.add(d.sym());
            } else if (s instanceof Core.For f) {
                into.add(f.index());
            }
        });
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
