package dev.adjoint.processor.rules;

import static dev.adjoint.processor.rules.Template.arg;
import static dev.adjoint.processor.rules.Template.g;
import static dev.adjoint.processor.rules.Template.mul;

import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Pos;
import dev.adjoint.processor.ir.Ty;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The rule of a method whose derivative is given by a pullback and/or a pushforward of the custom rules' signature
 * (docs/GENERATED-API.md): a user's {@code @Pullback} and {@code @Pushforward}, or the entry points Adjoint generates
 * for a differentiated method (one compiled earlier, or a recursive one, which is called, not inlined). A call of
 * the method is then a primitive like {@code Math.exp}: its rule's shares are calls of those methods, filled in by
 * the same templates as the built-in rules.
 *
 * <p>From a pushforward P(p, ẋ) alone, the share of the double parameter xi is P(p, eᵢ)·g (the pushforward is
 * linear in the tangents, so that is ∂f/∂xi·g), for both modes. From a pullback Q(p, ȳ) alone, the share is Q(p, g)
 * (or its i-th element when f has several double parameters), for both modes: forward mode puts the operand's
 * tangent in g's place. With both, reverse mode uses the pullback and forward mode the pushforward.
 *
 * <p>A method with {@code double[]} or {@code double[][]} parameters needs both: its entry is {@link Registry.Calls},
 * which the transforms call with the caller's adjoint and tangent arrays.
 */
public final class CalleeRules {
    private CalleeRules() {}

    /**
     * @param target      the method the rules are for: a {@code double} result, {@code double} parameters and
     *                    others without a derivative
     * @param pullback    its pullback {@code (params..., double yBar)}, returning {@code double} (one double
     *                    parameter) or {@code double[]}; or null
     * @param pushforward its pushforward {@code (params..., double x1Dot, ..., double xkDot)}; or null
     * @param ruleName    how generated comments name the rule
     * @return its registry entry
     */
    public static Registry.Entry entry(Callee target, Callee pullback, Callee pushforward, String ruleName) {
        List<Ty> params = target.params();
        if (params.stream().anyMatch(t -> t == Ty.DOUBLE_ARRAY || t == Ty.DOUBLE_MATRIX)) {
            // array parameters: their adjoints and tangents are arrays the calls take, which no template carries
            if (pullback == null || pushforward == null) {
                throw new IllegalArgumentException("a method with array parameters needs both rules: " + target);
            }
            return new Registry.Entry(target, null, false, false, new Registry.Calls(pullback, pushforward));
        }
        List<Integer> doubles = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            if (params.get(i) == Ty.DOUBLE) {
                doubles.add(i);
            }
        }
        List<Expr> fromPush = pushforward == null ? null : pushforwardShares(pushforward, params, doubles);
        List<Expr> fromPull = pullback == null ? null : pullbackShares(pullback, params, doubles);
        List<String> partials = new ArrayList<>();
        List<Boolean> negated = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            partials.add(params.get(i) == Ty.DOUBLE ? "d " + target.name() + "/d(argument " + i + ") by "
                    + (pullback != null ? "its pullback" : "its pushforward") : "none");
            negated.add(false);
        }
        List<Expr> terms = fromPull != null ? fromPull : fromPush;
        List<Expr> forwardTerms = fromPull != null && fromPush != null ? fromPush : null;
        return new Registry.Entry(target, new Rule(ruleName, partials, terms, negated, null, forwardTerms), false);
    }

    /** P(p, eᵢ)·g for each double parameter i; null for the others. */
    private static List<Expr> pushforwardShares(Callee rule, List<Ty> params, List<Integer> doubles) {
        Expr[] shares = new Expr[params.size()];
        for (int i : doubles) {
            List<Expr> args = new ArrayList<>();
            for (int k = 0; k < params.size(); k++) {
                args.add(arg(k));
            }
            for (int d : doubles) {
                args.add(new Expr.Lit(d == i ? "1.0" : "0.0", Ty.DOUBLE, Pos.NONE));
            }
            shares[i] = mul(new Expr.Call(rule, args, Pos.NONE), g());
        }
        return Arrays.asList(shares);
    }

    /** Q(p, g), or its j-th element for the j-th double parameter when there are several; null for the others. */
    private static List<Expr> pullbackShares(Callee rule, List<Ty> params, List<Integer> doubles) {
        Expr[] shares = new Expr[params.size()];
        for (int j = 0; j < doubles.size(); j++) {
            List<Expr> args = new ArrayList<>();
            for (int k = 0; k < params.size(); k++) {
                args.add(arg(k));
            }
            args.add(g());
            Expr call = new Expr.Call(rule, args, Pos.NONE);
            shares[doubles.get(j)] = doubles.size() == 1 ? call
                    : new Expr.ArrayLoad(call, new Expr.Lit(Integer.toString(j), Ty.INT, Pos.NONE), Pos.NONE);
        }
        return Arrays.asList(shares);
    }
}
