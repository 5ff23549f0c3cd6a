package dev.adjoint.processor.ir;

import java.util.List;

/**
 * The lowered IR that analysis and the transforms work on. Lowering (package {@code lower}) brings the user's
 * statements to this small form:
 * <ul>
 *   <li>expressions are pure: no assignments, increments or side-effecting calls inside them, and no
 *       {@code ?:} that chooses between floating values (those become {@link If}s);</li>
 *   <li>every assignment is one {@link Assign} of a pure value to a variable or an array element;</li>
 *   <li>there are no jumps: {@code break}, {@code continue} and {@code return} become flags and guards,
 *       so every block runs to its end or throws;</li>
 *   <li>every loop is a {@link Loop}: counted loops keep their index and bounds (they are reversed as loops
 *       running backwards); the others record their trip count.</li>
 * </ul>
 * Every node has a {@code pos} for diagnostics.
 */
public sealed interface Core {
    /** @return where it came from */
    Pos pos();

    /** A scope. */
    record Block(List<Core> stmts, Pos pos) implements Core {}

    /** {@code T sym = init;}; {@code init} is never null (lowering fills in the type's zero). */
    record Declare(Sym sym, Expr init, Pos pos) implements Core {}

    /** {@code target = value;}: {@code target} is an {@link Expr.Var} or an {@link Expr.ArrayLoad}. */
    record Assign(Expr target, Expr value, Pos pos) implements Core {}

    /** A call evaluated for its effect, result discarded. */
    record Eval(Expr call, Pos pos) implements Core {}

    /** {@code if (cond) then else otherwise}; {@code otherwise} may be empty. */
    record If(Expr cond, Block then, Block otherwise, Pos pos) implements Core {}

    /**
     * A counted loop: {@code for (T index = from; index cmp bound; index += step)} with {@code step} +1 or -1,
     * where neither the index nor anything the bound reads is assigned in the body. Reversed as the same loop
     * running backwards, with no trip count stored.
     */
    record Counted(Sym index, Expr from, Expr.BinOp cmp, Expr bound, int step) {}

    /**
     * A loop. With {@code counted} set it is that counted loop and {@code cond}/{@code update} are unused.
     * Otherwise: {@code testFirst} loops run {@code while (true) { preCond; if (!cond) break; body; update; }};
     * do-loops run {@code do { body; } while (cond);}. {@code cond} is pure and reads no local declared in
     * {@code preCond} or {@code body}: a condition with side effects is evaluated, with the statements that carry
     * them out, into a boolean flag declared before the loop, and {@code cond} reads the flag. Those statements are
     * {@code preCond} of a {@code testFirst} loop (usually empty) and the end of a do-loop's body (its
     * {@code preCond} is empty); after a {@code break} or {@code return} they are skipped, as Java skips the
     * condition.
     */
    record Loop(Block preCond, Expr cond, Block body, Block update, boolean testFirst, Counted counted, Pos pos)
            implements Core {}

    /** {@code throw source;}, copied as written. */
    record Throw(String source, Pos pos) implements Core {}
}
