package dev.adjoint.processor.rules;

import java.util.List;

/**
 * The derivative rule of one primitive {@code z = op(x0, x1, ...)}: for each argument, the term it contributes
 * to that argument's adjoint, written as Java with placeholders:
 * {@code {0}}, {@code {1}} the arguments' values, {@code {z}} the primitive's value, {@code {g}} the adjoint of
 * {@code z} (the incoming ∂result/∂z). A contribution is ∂z/∂xi · g.
 *
 * @param name          how generated code names the rule in its comment, e.g. {@code product rule}
 * @param partials      per argument, its partial derivative in plain ASCII math (generated sources stay ASCII so
 *                      that no build's source encoding can reject them), for the comment, e.g. {@code d(a*b)/da = b}
 * @param terms         per argument, its contribution template; null where the argument has no derivative
 * @param negated       per argument, whether the contribution is subtracted ({@code xBar -= term})
 * @param loneTerms     when only one argument is active: per argument, its contribution then (ties of max and
 *                      min go to the inactive argument, as the paper's max(0, z) convention has it); null if the
 *                      same as {@code terms}
 */
public record Rule(String name, List<String> partials, List<String> terms, List<Boolean> negated, List<String> loneTerms) {

    /** @return whether any term reads the primitive's own value */
    public boolean usesResult() {
        return terms.stream().anyMatch(t -> t != null && t.contains("{z}"))
                || (loneTerms != null && loneTerms.stream().anyMatch(t -> t != null && t.contains("{z}")));
    }

    /**
     * @param arg          the argument's position
     * @param othersActive whether any other argument is active
     * @return the contribution template for that argument
     */
    public String term(int arg, boolean othersActive) {
        if (!othersActive && loneTerms != null) {
            return loneTerms.get(arg);
        }
        return terms.get(arg);
    }

    /**
     * @param arg          the argument's position
     * @param othersActive whether any other argument is active
     * @return whether the term reads argument {@code k}'s value ({@code {k}}) or the result ({@code -1})
     */
    public boolean reads(int arg, boolean othersActive, int k) {
        String t = term(arg, othersActive);
        return t != null && t.contains(k < 0 ? "{z}" : "{" + k + "}");
    }
}
