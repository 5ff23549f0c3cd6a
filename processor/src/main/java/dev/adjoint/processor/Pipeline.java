package dev.adjoint.processor;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.analysis.Expand;
import dev.adjoint.processor.analysis.Tbr;
import dev.adjoint.processor.diagnostics.DiagnosticId;
import dev.adjoint.processor.diagnostics.Diagnostics;
import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.DerivativeRequest;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.IrWalker;
import dev.adjoint.processor.ir.MethodIR;
import dev.adjoint.processor.ir.SymbolTable;
import dev.adjoint.processor.lower.CoreWalk;
import dev.adjoint.processor.lower.Lowering;
import dev.adjoint.processor.transform.Derivative;
import dev.adjoint.processor.transform.Gradient;
import dev.adjoint.processor.transform.Jvp;
import java.util.ArrayList;
import java.util.List;

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
        List<Derivative> d = differentiate(request.method(), List.of(request), diags);
        return d == null ? null : d.get(0);
    }

    /**
     * Runs lower and analyse once for a method, then transform and optimise for each of its requests.
     *
     * @param method   the parsed method
     * @param requests what to differentiate; all with the method's {@code wrt}
     * @param diags    where errors go
     * @return the derivatives as IR, in the requests' order, or null when an error was reported
     */
    public static List<Derivative> differentiate(MethodIR method, List<DerivativeRequest> requests,
            Diagnostics diags) {
        for (DerivativeRequest r : requests) {
            if (r.method() != method || !r.wrt().equals(method.wrt())) {
                throw new IllegalArgumentException("a request for another method or another wrt: " + r);
            }
        }

        // lower: one assignment at a time, no jumps
        Lowering.Lowered lowered = Lowering.lower(method);
        // the method's one symbol table: lowering made it; Expand's temporaries and the transform's adjoints, trip
        // counts and temporaries come from it too
        SymbolTable symbols = lowered.symbols();

        // analyse: what is active, then the ?: and initializers that choose between active values become ifs and
        // assignments, then what the reverse sweep needs saved
        int before = diags.errorCount();
        Activity activity = Activity.analyse(lowered.body(), method.wrt(), method.params(), lowered.result(), diags);
        Expand.Expanded expanded = Expand.expand(lowered.body(), activity, symbols);
        // again on the expanded body, always: its statements are new nodes, and what the arrays hold is recorded
        // per statement
        activity = Activity.analyse(expanded.body(), method.wrt(), method.params(), lowered.result(),
                Diagnostics.NONE);
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
        Tbr tbr = Tbr.analyse(expanded.body(), activity);

        List<Derivative> derivatives = new ArrayList<>();
        for (DerivativeRequest request : requests) {
            // transform: IR in, IR out, with names of its own
            SymbolTable names = symbols.copy();
            Derivative d = switch (request.mode()) {
                case GRADIENT, VJP, VJP_DIRECTIONS -> Gradient.of(request, expanded.body(), lowered.result(), activity, tbr, names);
                case JVP, JVP_DIRECTIONS -> Jvp.of(request, expanded.body(), lowered.result(), activity, names);
            };

            // optimise: nothing yet; passes over the derivative's IR go here
            derivatives.add(d);
        }
        return derivatives;
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
