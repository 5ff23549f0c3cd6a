package dev.adjoint.processor.rules;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.IrWalker;
import dev.adjoint.processor.ir.Origin;
import java.util.List;

/**
 * The derivative rule of one primitive {@code z = op(x0, x1, ...)}: for each argument, the share it contributes to
 * that argument's adjoint, written as an IR template ({@link Template}): an expression whose {@link Expr.Hole}s
 * stand for the arguments' values, the primitive's value {@code z} and the adjoint {@code g} of {@code z} (the
 * incoming ∂result/∂z). A share is ∂z/∂xi · g.
 *
 * @param name      how generated code names the rule in its comment, e.g. {@code product rule}
 * @param partials  per argument, its partial derivative in plain ASCII math, for the comment, e.g.
 *                  {@code d(a*b)/da = b}
 * @param terms     per argument, its share; null where the argument has no derivative
 * @param negated   per argument, whether the share is subtracted ({@code xBar -= term})
 * @param loneTerms when only one argument is active: per argument, its share then (ties of max and min go to the
 *                  inactive argument, as the paper's max(0, z) convention has it); null if the same as {@code terms}
 * @param forwardTerms per argument, the share forward mode uses instead of {@code terms}; null (the usual case)
 *                  when both modes use {@code terms}
 */
public record Rule(String name, List<String> partials, List<Expr> terms, List<Boolean> negated, List<Expr> loneTerms,
        List<Expr> forwardTerms) {

    /** A rule whose shares serve both modes (every built-in rule). */
    public Rule(String name, List<String> partials, List<Expr> terms, List<Boolean> negated, List<Expr> loneTerms) {
        this(name, partials, terms, negated, loneTerms, null);
    }

    /**
     * @return the share forward mode uses, with the operand's tangent in the seed's place: {@link #term} unless the
     *     rule has shares of its own for forward mode (a custom rule given both a pushforward and a pullback)
     */
    public Expr forwardTerm(int arg, boolean othersActive) {
        return forwardTerms != null ? forwardTerms.get(arg) : term(arg, othersActive);
    }

    /** @return whether any share reads the primitive's own value */
    public boolean usesResult() {
        return mentions(terms, Expr.HoleKind.RESULT, 0) || (loneTerms != null
                && mentions(loneTerms, Expr.HoleKind.RESULT, 0));
    }

    /**
     * @param arg          the argument's position
     * @param othersActive whether any other argument is active
     * @return the share's template for that argument, or null when it has none
     */
    public Expr term(int arg, boolean othersActive) {
        if (!othersActive && loneTerms != null) {
            return loneTerms.get(arg);
        }
        return terms.get(arg);
    }

    /**
     * @param arg          the argument's position
     * @param othersActive whether any other argument is active
     * @return whether the share reads argument {@code k}'s value, or for {@code k < 0} the primitive's value
     */
    public boolean reads(int arg, boolean othersActive, int k) {
        Expr t = term(arg, othersActive);
        return t != null && (k < 0 ? mentions(List.of(t), Expr.HoleKind.RESULT, 0)
                : mentions(List.of(t), Expr.HoleKind.ARG, k));
    }

    /** @return whether the share of {@code arg} is the incoming adjoint itself (a partial derivative of 1) */
    public boolean passesSeed(int arg, boolean othersActive) {
        return term(arg, othersActive) instanceof Expr.Hole h && h.kind() == Expr.HoleKind.SEED;
    }

    /**
     * @return {@code c} when the share of {@code arg} is a selection, {@code c ? g : 0} (the max and min rules: 1
     *     where the argument is the one picked, else 0), whose zero is a strong zero: the argument's own partials
     *     are not to be multiplied by it; null for any other share
     */
    public Expr selection(int arg, boolean othersActive) {
        return term(arg, othersActive) instanceof Expr.Cond c && c.then() instanceof Expr.Hole h
                && h.kind() == Expr.HoleKind.SEED && c.otherwise() instanceof Expr.Lit l && l.text().equals("0.0")
                ? c.cond() : null;
    }

    /** @return the rule and the partial derivative of argument {@code arg}, for a generated comment */
    public Origin origin(int arg) {
        return new Origin(name, partials.get(arg));
    }

    private static boolean mentions(List<Expr> templates, Expr.HoleKind kind, int index) {
        boolean[] found = {false};
        for (Expr t : templates) {
            IrWalker.visit(t, x -> found[0] |= x instanceof Expr.Hole h && h.kind() == kind
                    && (kind != Expr.HoleKind.ARG || h.index() == index));
        }
        return found[0];
    }
}
