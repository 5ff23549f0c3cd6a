package dev.adjoint.processor;


import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.analysis.Expand;
import dev.adjoint.processor.analysis.Tbr;
import dev.adjoint.processor.diagnostics.DiagnosticId;
import dev.adjoint.processor.diagnostics.Diagnostics;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.DerivativeRequest;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.IrWalker;
import dev.adjoint.processor.ir.MethodIR;
import dev.adjoint.processor.ir.SymbolTable;
import dev.adjoint.processor.lower.CoreWalk;
import dev.adjoint.processor.lower.LoopInvariants;
import dev.adjoint.processor.lower.Lowering;
import dev.adjoint.processor.optimise.Optimise;
import dev.adjoint.processor.parse.WayOuts;
import dev.adjoint.processor.transform.Derivative;
import dev.adjoint.processor.transform.Gradient;
import dev.adjoint.processor.transform.Jvp;
import dev.adjoint.processor.diagnostics.Recorded;
import dev.adjoint.processor.ir.Pos;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stages, in order, for one derivative request: parse (done before, by {@code parse.Parser}, which turns a
 * method's tree into the {@link MethodIR} a request names) → lower → analyse → transform → optimise → emit (done
 * after, by {@code emit.GradClassWriter}, once per class). Each stage takes IR and returns IR; this class is the only
 * place that knows their order.
 */
public final class Pipeline {
    /**
     * The most statements and expression nodes a method may have after lowering. A node costs about 3 bytes of
     * bytecode in each sweep plus the reverse sweep's temporaries; past this size the gradient method would not fit
     * in the JVM's 64 KB, and javac would fail on the generated file with "code too large".
     */
    static final int MAX_NODES = 10_000;

    private Pipeline() {}

    /**
     * Runs lower, analyse, transform and optimise for one request.
     *
     * @param request what to differentiate
     * @param diags   where errors go
     * @return the derivative as IR, or null when an error was reported
     */
    public static Derivative differentiate(DerivativeRequest request, Diagnostics diags) {
        List<Derivative> d = differentiate(request.method(), List.of(request), diags, Callees.NONE);
        return d == null ? null : d.get(0);
    }

    /** The methods a differentiated method calls whose source is in the compilation. */
    public interface Callees {
        /** No callee has source: every call is to code Adjoint cannot see. */
        Callees NONE = new Callees() {
            @Override
            public boolean hasSource(Callee callee) {
                return false;
            }

            @Override
            public Parsed parse(Callee callee) {
                return new Parsed(null, new Recorded());
            }

            @Override
            public Deferred inaccessible(Callee callee) {
                return null;
            }
        };

        /** @return whether the called method's source is in the compilation */
        boolean hasSource(Callee callee);

        /** @return the rules: the built-ins and the user's custom rules of this compilation */
        default dev.adjoint.processor.rules.Registry registry() {
            return dev.adjoint.processor.rules.Registry.BUILTINS;
        }

        /** @return the called method's IR ({@code Parser.parseCallee}) and its errors (the IR is null if any) */
        Parsed parse(Callee callee);

        /**
         * @return why the generated class could not call the method (it is private, say), to report where a call
         *     stays a call; null when it can
         */
        Deferred inaccessible(Callee callee);

        /**
         * The rules of a recursive method, which cannot be inlined: calls of the pullback and pushforward entry
         * points its class's generated class will have (docs/GENERATED-API.md), the way a method compiled earlier
         * is called.
         *
         * @return its registry entry, or a reason it has none (not of the entry points' signature, say)
         */
        default Recursion recursion(Callee callee) {
            return new Recursion(null, "recursion is not differentiated here");
        }
    }

    /** A recursive method's rules ({@link Callees#recursion}), or why it has none. */
    public record Recursion(dev.adjoint.processor.rules.Registry.Entry entry, String whyNot) {}

    /** A called method's parse: its IR, or null and its errors, reported only if a call needs its body. */
    public record Parsed(MethodIR ir, Recorded errors) {}

    /** An error kept for a call that stays a call. */
    public record Deferred(DiagnosticId id, String detail, String wayOut) {}

    /** Why a called method is not differentiated through: reports that at a call that needs it. */
    private interface Reason {
        void report(Diagnostics diags, Pos at);
    }

    /** As {@link #differentiate(MethodIR, List, Diagnostics, Callees)}, for a method that calls no helper. */
    public static List<Derivative> differentiate(MethodIR method, List<DerivativeRequest> requests,
            Diagnostics diags) {
        return differentiate(method, requests, diags, Callees.NONE);
    }

    /**
     * Runs lower and analyse once for a method, then transform and optimise for each of its requests.
     *
     * @param method   the parsed method
     * @param requests what to differentiate; all with the method's {@code wrt}
     * @param diags    where errors go
     * @param callees  the called methods whose source is in the compilation, which are differentiated through
     * @return the derivatives as IR, in the requests' order, or null when an error was reported
     */
    public static List<Derivative> differentiate(MethodIR method, List<DerivativeRequest> requests,
            Diagnostics diags, Callees callees) {
        for (DerivativeRequest r : requests) {
            if (r.method() != method || !r.wrt().equals(method.wrt())) {
                throw new IllegalArgumentException("a request for another method or another wrt: " + r);
            }
        }

        // the call graph: the methods it calls whose source is here, and theirs, to be inlined where they are called;
        // those that cannot be (recursive, or with errors) stay calls, fine while no argument carries a derivative
        Map<Callee, MethodIR> inlined = new LinkedHashMap<>();
        Map<Callee, Reason> kept = new LinkedHashMap<>();
        Map<Callee, String> recursive = new LinkedHashMap<>();
        reached(method, callees, inlined, kept, recursive, new ArrayList<>());
        kept.keySet().forEach(inlined::remove);
        // a recursive method is called through its generated entry points, as a primitive with rules
        List<dev.adjoint.processor.rules.Registry.Entry> recursionRules = new ArrayList<>();
        for (Map.Entry<Callee, String> r : recursive.entrySet()) {
            Callee callee = r.getKey();
            Recursion how = callees.recursion(callee);
            inlined.remove(callee);
            if (how.entry() != null) {
                kept.remove(callee);
                recursionRules.add(how.entry());
            } else {
                String detail = r.getValue() + ": " + how.whyNot();
                kept.put(callee, (to, pos) -> to.error(DiagnosticId.ADJ009, pos, detail));
            }
        }
        dev.adjoint.processor.rules.Registry registry = recursionRules.isEmpty() ? callees.registry()
                : callees.registry().with(recursionRules);
        if (!recursionRules.isEmpty()) {
            java.util.Set<Callee> calledThroughRules = new java.util.HashSet<>();
            recursionRules.forEach(e -> calledThroughRules.add(e.callee()));
            method = throughRules(method, calledThroughRules);
            for (Map.Entry<Callee, MethodIR> e : inlined.entrySet()) {
                e.setValue(throughRules(e.getValue(), calledThroughRules));
            }
        }

        // lower: one assignment at a time, no jumps, called methods in place
        Lowering.Lowered lowered = Lowering.lower(method, inlined);
        // an expensive call a loop does not change is computed once, before it, in both sweeps
        lowered = new Lowering.Lowered(LoopInvariants.hoist(lowered.body(), lowered.symbols()), lowered.result(),
                lowered.symbols());
        // the method's one symbol table: lowering made it; Expand's temporaries and the transform's adjoints, trip
        // counts and temporaries come from it too
        SymbolTable symbols = lowered.symbols();

        // analyse: what is active, then the ?: and initializers that choose between active values become ifs and
        // assignments, then what the reverse sweep needs saved
        int before = diags.errorCount();
        // a void method does its work on its arguments: one that stays a call must be seen, whatever they are
        CoreWalk.forEach(lowered.body(), c -> {
            for (Expr e : Activity.exprsOf(c)) {
                IrWalker.visit(e, x -> {
                    if (x instanceof Expr.Call call && call.callee().result() == null
                            && kept.containsKey(call.callee())) {
                        kept.get(call.callee()).report(diags, call.pos());
                    }
                });
            }
        });
        if (diags.errorCount() > before) {
            return null;
        }
        Activity activity = Activity.analyse(lowered.body(), method.wrt(), method.params(), lowered.result(), diags,
                (call, at) -> {
                    Reason why = kept.get(call.callee());
                    if (why != null) {
                        why.report(diags, at);
                    }
                    return why != null;
                }, WayOuts::unknownCallee, registry);
        if (diags.errorCount() == before) {
            // a call that stays a call must be one the generated class can make
            CoreWalk.forEach(lowered.body(), c -> {
                for (Expr e : Activity.exprsOf(c)) {
                    IrWalker.visit(e, x -> {
                        if (x instanceof Expr.Call call && callees.hasSource(call.callee())
                                && !inlined.containsKey(call.callee())) {
                            Deferred d = callees.inaccessible(call.callee());
                            if (d != null) {
                                diags.error(d.id(), call.pos(), d.detail(), d.wayOut());
                            }
                        }
                    });
                }
            });
        }
        Expand.Expanded expanded = Expand.expand(lowered.body(), activity, symbols);
        // again on the expanded body, always: its statements are new nodes, and what the arrays hold is recorded
        // per statement
        activity = Activity.analyse(expanded.body(), method.wrt(), method.params(), lowered.result(),
                Diagnostics.NONE, (call, at) -> false, callee -> null, registry);
        if (diags.errorCount() > before) {
            return null;
        }
        int size = size(expanded.body());
        if (size > MAX_NODES) {
            diags.error(DiagnosticId.ADJ033, method.pos(), "'" + method.name() + "' has " + size
                    + " operations after lowering; its gradient would pass the JVM's 64 KB limit per method (the "
                    + "limit here is " + MAX_NODES + ")");
            return null;
        }
        boolean vector = requests.stream().anyMatch(r -> r.mode() == DerivativeRequest.Mode.JVP_DIRECTIONS
                || r.mode() == DerivativeRequest.Mode.VJP_DIRECTIONS);
        if (vector) {
            Activity a = activity;
            CoreWalk.forEach(expanded.body(), c -> {
                for (Expr e : Activity.exprsOf(c)) {
                    IrWalker.visit(e, x -> {
                        if (a.calls(x) != null && a.isActive(x)) {
                            Expr.MathCall m = (Expr.MathCall) x;
                            diags.error(DiagnosticId.ADJ024, x.pos(), "a call of " + m.fn() + ", which takes arrays and "
                                    + "is differentiated through its pullback and pushforward, in a method returning "
                                    + "double[]: the Jacobian's vector modes cannot call those yet",
                                    "call it from a method returning double, or write its computation in place of "
                                            + "the call");
                        }
                    });
                }
            });
            if (diags.errorCount() > before) {
                return null;
            }
        }
        Tbr tbr = Tbr.analyse(expanded.body(), activity);

        List<Derivative> derivatives = new ArrayList<>();
        for (DerivativeRequest request : requests) {
            // transform: IR in, IR out, with names of its own
            SymbolTable names = symbols.copy();
            Derivative d = switch (request.mode()) {
                case GRADIENT, VJP, VJP_DIRECTIONS, PULLBACK -> Gradient.of(request, expanded.body(), lowered.result(), activity, tbr, names);
                case JVP, JVP_DIRECTIONS -> Jvp.of(request, expanded.body(), lowered.result(), activity, names);
            };

            // optimise: passes over the derivative's IR, IR in, IR out
            derivatives.add(Optimise.derivative(d));
        }
        return derivatives;
    }

    /**
     * Finds, depth first, the methods {@code m} calls whose source is in the compilation, and theirs: into
     * {@code into} those that parse, into {@code kept} (with the reason) those that cannot be inlined, because they
     * have errors or are part of a cycle of calls (recursion).
     *
     * @param path the methods being followed, outermost first
     */
    /**
     * The explanation of a method's derivatives (explain.Derivation): its statements derived in the paper's four
     * steps. Calls stay calls here (nothing is inlined), so a method that calls one of the user's is not derived in
     * closed form, and says so.
     *
     * @param method   the parsed method
     * @param registry the rules
     * @return the derivation
     */
    public static dev.adjoint.processor.explain.Derivation explain(MethodIR method,
            dev.adjoint.processor.rules.Registry registry) {
        return dev.adjoint.processor.explain.Derivation.ofStatements(method, registry);
    }

    private static void reached(MethodIR m, Callees callees, Map<Callee, MethodIR> into, Map<Callee, Reason> kept,
            Map<Callee, String> recursive, List<String> path) {
        List<Expr.Call> calls = new ArrayList<>();
        IrWalker.forEachExpr(m.body(), e -> {
            if (e instanceof Expr.Call c && callees.hasSource(c.callee())) {
                calls.add(c);
            }
        });
        path.add(key(m));
        try {
            for (Expr.Call c : calls) {
                Callee callee = c.callee();
                int at = path.indexOf(key(callee));
                if (at >= 0) {
                    List<String> cycle = new ArrayList<>();
                    for (String k : path.subList(at, path.size())) {
                        cycle.add(k.substring(0, k.indexOf('(')));
                    }
                    cycle.add(callee.name());
                    String detail = cycle.size() == 2 ? callee.name() + " calls itself"
                            : "recursion: " + String.join(" calls ", cycle);
                    // every method on the cycle stays a call: of its entry points when it has them
                    Reason why = (diags, pos) -> diags.error(DiagnosticId.ADJ009, pos, detail);
                    kept.putIfAbsent(callee, why);
                    recursive.putIfAbsent(callee, detail);
                    for (Map.Entry<Callee, MethodIR> e : into.entrySet()) {
                        if (e.getValue() == null && path.subList(at, path.size()).contains(key(e.getKey()))) {
                            kept.putIfAbsent(e.getKey(), why);
                            recursive.putIfAbsent(e.getKey(), detail);
                        }
                    }
                    continue;
                }
                if (into.containsKey(callee) || kept.containsKey(callee)) {
                    continue;
                }
                Parsed parsed = callees.parse(callee);
                if (parsed.ir() == null && callee.result() == null) {
                    kept.put(callee, (diags, pos) -> {
                        diags.error(DiagnosticId.ADJ035, pos, callee.owner() + "." + callee.name() + " returns nothing "
                                + "(void) and has errors, reported at its own lines: Adjoint cannot see what it does "
                                + "to its arguments");
                        parsed.errors().replay(diags);
                    });
                    continue;
                }
                if (parsed.ir() == null) {
                    kept.put(callee, (diags, pos) -> {
                        diags.error(DiagnosticId.ADJ035, pos, callee.owner() + "." + callee.name() + " has errors, "
                                + "reported at its own lines, and an argument here depends on a differentiated "
                                + "parameter");
                        parsed.errors().replay(diags);
                    });
                    continue;
                }
                into.put(callee, null); // being followed
                reached(parsed.ir(), callees, into, kept, recursive, path);
                into.put(callee, parsed.ir());
            }
        } finally {
            path.remove(path.size() - 1);
        }
    }

    /** @return the method with each call of {@code rules}' methods made a call of a primitive with rules */
    private static MethodIR throughRules(MethodIR m, java.util.Set<Callee> rules) {
        return new MethodIR(m.name(), m.params(), m.wrt(), m.returnType(),
                dev.adjoint.processor.ir.Renamed.rewritten(m.body(), x -> callOfRules(x, rules)),
                m.ownerCanonicalName(), m.pos(), m.receiver());
    }

    private static Expr callOfRules(Expr x, java.util.Set<Callee> rules) {
        if (x instanceof Expr.Call c && rules.contains(c.callee())) {
            List<Expr> args = new ArrayList<>();
            c.args().forEach(a -> args.add(dev.adjoint.processor.ir.Rewrite.substitute(a, y -> callOfRules(y, rules))));
            return new Expr.MathCall(c.callee(), args, c.pos());
        }
        return null;
    }

    private static String key(MethodIR m) {
        List<String> types = new ArrayList<>();
        m.params().forEach(p -> types.add(p.type().java()));
        return m.name() + "(" + String.join(",", types) + ")@" + m.ownerCanonicalName();
    }

    private static String key(Callee c) {
        List<String> types = new ArrayList<>();
        c.params().forEach(t -> types.add(t == null ? "?" : t.java()));
        return c.name() + "(" + String.join(",", types) + ")@" + c.owner();
    }

    private static int size(Core.Block body) {
        int[] n = {0};
        CoreWalk.forEach(body, c -> {
            n[0]++;
            for (Expr e : Activity.exprsOf(c)) {
                IrWalker.visit(e, x -> n[0]++);
            }
        });
        return n[0];
    }
}
