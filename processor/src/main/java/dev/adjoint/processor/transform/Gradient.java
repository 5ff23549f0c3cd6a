package dev.adjoint.processor.transform;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.analysis.Tbr;
import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.DerivativeRequest;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Pos;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.SymbolTable;
import dev.adjoint.processor.ir.Ty;
import dev.adjoint.processor.lower.CoreWalk;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reverse-mode derivative of one method, as IR: what {@link ReverseMode} returns for a request, ready to be
 * rendered by {@code emit} into the entry points the request asks for.
 *
 * @param request   what was asked
 * @param forward   the forward sweep: the original computation, saving what the reverse sweep needs
 * @param reverse   the reverse sweep, starting with the seed ({@code resultBar = 1.0}) and the zeroed adjoints of
 *                  the scalar parameters and top-level locals; empty when the result is not active
 * @param result    the local that holds the result
 * @param adjoints  the adjoint of each active parameter, in parameter order
 * @param usesTape  whether the sweeps use the tape
 * @param symbols   the method's symbols
 * @param outName   the hygienic name of the result parameter of the reuse form
 * @param tapeName  the hygienic name of the tape local
 * @param seed      for a {@code double[]} result ({@link DerivativeRequest.Mode#VJP}), the seed parameter ȳ, so that
 *                  the parameters' adjoints are ȳᵀ·J; for a {@link DerivativeRequest.Mode#PULLBACK}, the
 *                  {@code double} ȳ the caller gives; null for a gradient (the seed is 1) and in vector mode
 * @param width     in vector mode ({@link DerivativeRequest.Mode#VJP_DIRECTIONS}), the parameter that holds the
 *                  number of seeds, the result's length: every adjoint has a last dimension of that size, and the
 *                  reverse sweep starts with seed d the unit vector e_d; else null
 */
public record Gradient(DerivativeRequest request, Core.Block forward, Core.Block reverse, Sym result,
        Map<Sym, Sym> adjoints, boolean usesTape, SymbolTable symbols, String outName, String tapeName, Sym seed,
        Sym width) implements Derivative {

    /** @return whether the result depends on a differentiated parameter (else every gradient is zero) */
    public boolean resultActive() {
        return !reverse.stmts().isEmpty();
    }

    /**
     * Differentiates a lowered, analysed body in reverse mode.
     *
     * @param request  the request ({@link DerivativeRequest.Mode#GRADIENT}, {@link DerivativeRequest.Mode#VJP} or
     *                 {@link DerivativeRequest.Mode#VJP_DIRECTIONS})
     * @param body     the lowered, expanded body
     * @param result   the local holding the result
     * @param activity its activity
     * @param tbr      what to save
     * @param symbols  the method's symbols
     * @return the derivative, as IR
     */
    public static Gradient of(DerivativeRequest request, Core.Block body, Sym result, Activity activity, Tbr tbr,
            SymbolTable symbols) {
        boolean vector = request.mode() == DerivativeRequest.Mode.VJP_DIRECTIONS;
        boolean pullback = request.mode() == DerivativeRequest.Mode.PULLBACK;
        Sym seed = pullback ? symbols.fresh("yBar", Ty.DOUBLE)
                : result.type() == Ty.DOUBLE_ARRAY && !vector ? symbols.fresh("seed", Ty.DOUBLE_ARRAY) : null;
        String out = symbols.freshName("out");
        String tape = symbols.freshName("tape");
        // loops whose trips are reversed one by one: a double result, one seed (not the Jacobian's vector mode)
        Map<Core.For, Map<Sym, Expr>> independent = Map.of();
        if (!vector && result.type() == Ty.DOUBLE && activity.isActive(result)) {
            Expr seedValue = pullback ? new Expr.Var(seed, Pos.NONE) : new Expr.Lit("1.0", Ty.DOUBLE, Pos.NONE);
            independent = IndependentIterations.plan(body, activity, tbr, result, seedValue,
                    request.method().params());
            if (!independent.isEmpty()) {
                tbr = Tbr.analyse(body, activity, independent.keySet());
            }
        }
        renameShadowed(body, request, tbr, symbols, independent.keySet());
        ReverseMode reverse = new ReverseMode(body, activity, tbr, symbols, independent);
        ReverseMode.Sweeps sweeps = reverse.sweeps();
        Map<Sym, Sym> adjoints = new LinkedHashMap<>();
        for (Sym p : request.method().params()) {
            if (p.type().isArray() && activity.isActive(p)) {
                adjoints.put(p, reverse.bar(p));
            }
        }
        List<Core> rev = new ArrayList<>();
        List<Core> early = new ArrayList<>();
        if (activity.isActive(result) && seed != null && result.type() == Ty.DOUBLE_ARRAY) {
            // the seed: resultBar, the adjoint array of the array returned, starts as seed (its own adjoint array
            // was created with it in the forward sweep, zero; after checkShape, seed is null only with the result)
            Sym i = symbols.fresh("i", Ty.INT);
            Expr seedVar = new Expr.Var(seed, Pos.NONE);
            Expr index = new Expr.Var(i, Pos.NONE);
            Core seeding = new Core.For(i, new Expr.Lit("0", Ty.INT, Pos.NONE), Expr.BinOp.LT,
                    new Expr.Length(seedVar, Pos.NONE), 1, new Core.Block(List.of(new Core.Accumulate(
                            new Expr.ArrayLoad(new Expr.Var(reverse.bar(result), Pos.NONE), index, Pos.NONE),
                            new Expr.ArrayLoad(seedVar, index, Pos.NONE), false,
                            new dev.adjoint.processor.ir.Origin("seed", "d(result)/d(result) = I"), Pos.NONE)),
                            Pos.NONE), Pos.NONE);
            rev.add(new Core.If(new Expr.Binary(Expr.BinOp.NE, seedVar, new Expr.Lit("null", Ty.DOUBLE_ARRAY,
                    Pos.NONE), Ty.BOOLEAN, Pos.NONE), new Core.Block(List.of(seeding), Pos.NONE),
                    new Core.Block(List.of(), Pos.NONE), Pos.NONE));
        }
        if (activity.isActive(result)) {
            if (result.type() == Ty.DOUBLE) {
                // the seed: d(result)/d(result) = 1, or the caller's ȳ for a pullback
                rev.add(new Core.Declare(reverse.bar(result), pullback ? new Expr.Var(seed, Pos.NONE)
                        : new Expr.Lit("1.0", Ty.DOUBLE, Pos.NONE), Pos.NONE));
            }
            // the adjoints of the scalar parameters and top-level locals start at zero; a loop reversed trip by trip
            // adds into them during the forward sweep, so they are declared before it
            List<Core> zeroed = reverse.reversesTripByTrip() ? early : rev;
            for (Sym p : request.method().params()) {
                if (p.type() == Ty.DOUBLE && activity.isActive(p)) {
                    adjoints.put(p, reverse.bar(p));
                    zeroed.add(new Core.Declare(reverse.bar(p), zero(), Pos.NONE));
                }
            }
            for (Sym s : reverse.topLevelScalars()) {
                if (s != result) {
                    zeroed.add(new Core.Declare(reverse.bar(s), zero(), Pos.NONE));
                }
            }
            for (Sym s : reverse.onceRunScalars()) {
                zeroed.add(new Core.Declare(reverse.bar(s), zero(), Pos.NONE));
            }
            rev.addAll(sweeps.reverse().stmts());
        }
        early.addAll(sweeps.forward().stmts());
        Map<Sym, Sym> ordered = new LinkedHashMap<>();
        for (Sym p : request.method().params()) {
            if (adjoints.containsKey(p)) {
                ordered.put(p, adjoints.get(p));
            }
        }
        Gradient g = new Gradient(request, new Core.Block(early, sweeps.forward().pos()), new Core.Block(rev,
                Pos.NONE), result, ordered,
                reverse.usesTape(), symbols, out, tape, seed, null);
        // vector mode: the same sweeps, each adjoint carrying one value per seed
        return vector ? VectorReverse.of(g, reverse.adjoints(), activity.isActive(result) ? reverse.bar(result) : null) : g;
    }

    private static Expr zero() {
        return new Expr.Lit("0.0", Ty.DOUBLE, Pos.NONE);
    }

    /**
     * The reverse sweep runs where the top-level locals are in scope, and re-declares the locals of nested blocks
     * that it takes back from the tape at the top of their block's reverse: a local of a nested scope that shares
     * its name with one of those (legal in the user's code when the nested one comes first: {@code for (int i ...)
     * ...; int i = 0;}), with a parameter or with a top-level local gets a fresh name in generated code.
     */
    private static void renameShadowed(Core.Block body, DerivativeRequest request, Tbr tbr, SymbolTable symbols,
            Set<Core.For> tripByTrip) {
        Set<String> topLevel = new HashSet<>();
        request.method().params().forEach(p -> topLevel.add(p.name()));
        for (Core c : body.stmts()) {
            if (c instanceof Core.Declare d) {
                topLevel.add(d.sym().name());
            }
        }
        for (Sym s : nestedSyms(body)) {
            if (topLevel.contains(s.name())) {
                symbols.rename(s, symbols.freshName(s.name()));
            }
        }
        // a loop reversed trip by trip runs each trip's reverse inside the trip, where the body's own locals are in
        // scope: the same holds for them as for the top level's
        for (Core.For f : tripByTrip) {
            Set<String> own = new HashSet<>();
            for (Core c : f.body().stmts()) {
                if (c instanceof Core.Declare d) {
                    own.add(symbols.name(d.sym()));
                }
            }
            for (Sym s : nestedSyms(f.body())) {
                if (own.contains(symbols.name(s))) {
                    symbols.rename(s, symbols.freshName(s.name()));
                }
            }
        }
        // blocks are visited outside in, so a block's restored locals have their final names before its nested ones
        CoreWalk.forEach(body, c -> {
            if (c instanceof Core.Block b && b != body && !(tbr.saves(b).isEmpty() && tbr.recomputes(b).isEmpty())) {
                Set<String> restored = new HashSet<>();
                tbr.saves(b).forEach(s -> restored.add(symbols.name(s)));
                tbr.recomputes(b).forEach(d -> restored.add(symbols.name(d.sym())));
                for (Sym s : nestedSyms(b)) {
                    if (restored.contains(symbols.name(s))) {
                        symbols.rename(s, symbols.freshName(s.name()));
                    }
                }
            }
        });
    }

    /** @return the locals and loop indices declared inside the statements of {@code b}, not directly in it */
    private static Set<Sym> nestedSyms(Core.Block b) {
        Set<Sym> nested = new LinkedHashSet<>();
        for (Core top : b.stmts()) {
            CoreWalk.forEach(top, c -> {
                if (c instanceof Core.Declare d && c != top) {
                    nested.add(d.sym());
                } else if (c instanceof Core.For f) {
                    nested.add(f.index());
                }
            });
        }
        return nested;
    }
}
