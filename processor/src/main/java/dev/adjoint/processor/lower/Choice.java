package dev.adjoint.processor.lower;

import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Pos;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.SymbolTable;
import java.util.ArrayList;
import java.util.List;

/**
 * The one lowering of {@code ?:} to an {@code if}. {@link Lowering} uses it for a {@code ?:} with side effects (only
 * the branch taken may carry them out), {@code analysis.Expand} for a {@code ?:} between active values (only the
 * branch taken is differentiated).
 */
public final class Choice {
    private Choice() {}

    /** Lowers one branch of a {@code ?:}: appends to {@code out} the statements it needs and returns its value. */
    @FunctionalInterface
    public interface Branch {
        Expr lower(Expr branch, List<Core> out);
    }

    /**
     * Lowers {@code c}, whose condition has already been evaluated to the pure {@code cond}, by appending to
     * {@code out}
     * <pre>
     * T choice = zero;
     * if (cond) { statements of then; choice = then; } else { statements of otherwise; choice = otherwise; }
     * </pre>
     *
     * @param c       the {@code ?:}
     * @param cond    its condition, pure
     * @param symbols where the temporary {@code choice} comes from
     * @param branch  how each branch is lowered (its statements go into its arm of the {@code if})
     * @param out     where the statements go
     * @return the read of the temporary, the value of {@code c}
     */
    public static Expr toIf(Expr.Cond c, Expr cond, SymbolTable symbols, Branch branch, List<Core> out) {
        Sym t = symbols.fresh("choice", c.type());
        out.add(new Core.Declare(t, Lowering.zero(c.type()), c.pos()));
        List<Core> then = new ArrayList<>();
        then.add(new Core.Assign(read(t), branch.lower(c.then(), then), c.pos()));
        List<Core> otherwise = new ArrayList<>();
        otherwise.add(new Core.Assign(read(t), branch.lower(c.otherwise(), otherwise), c.pos()));
        out.add(new Core.If(cond, new Core.Block(then, Pos.NONE), new Core.Block(otherwise, Pos.NONE), c.pos()));
        return read(t);
    }

    /** A read of the pipeline's own temporary: no position in the user's source. */
    private static Expr.Var read(Sym t) {
        return new Expr.Var(t, Pos.NONE);
    }
}
