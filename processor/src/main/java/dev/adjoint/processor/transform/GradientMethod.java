package dev.adjoint.processor.transform;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.analysis.Expand;
import dev.adjoint.processor.analysis.Tbr;
import dev.adjoint.processor.diagnostics.Diagnostics;
import dev.adjoint.processor.emit.ExprPrinter;
import dev.adjoint.processor.ir.MethodIR;
import dev.adjoint.processor.ir.Names;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.Ty;
import dev.adjoint.processor.lower.Lowering;
import java.util.Set;

/**
 * Runs lowering, analysis and reverse mode on one method and assembles the body of its generated gradient
 * method: buffers from the reusable result object, the forward sweep, the reverse sweep, and the copy of the
 * scalar gradients into the result.
 *
 * @param method      the parsed method
 * @param body        the body of {@code f(params..., R out)}
 * @param usesTape    whether the result type needs a tape
 * @param outName     the name of the result parameter
 */
public record GradientMethod(MethodIR method, CodeBlock body, boolean usesTape, String outName) {

    /**
     * The most statements and expression nodes a method may have after lowering. A node costs about 3 bytes of
     * bytecode in each sweep plus the reverse sweep's temporaries; past this size the gradient method would not fit
     * in the JVM's 64 KB, and javac would fail on the generated file with "code too large".
     */
    static final int MAX_NODES = 10_000;

    /** Names of the result type's fields that a gradient method writes. */
    public interface ResultFields {
        /** @return the field that holds the value */
        String valueField();

        /** @return the field that holds the tape */
        String tapeField();

        /** @return the field that holds the gradient of a differentiated parameter */
        String gradientField(Sym param);
    }

    /**
     * Differentiates a method.
     *
     * @param method     the parsed method
     * @param generatedPackage the generated class's package
     * @param generatedTypeNames simple names the generated class declares
     * @param resultType the simple name of the result type
     * @param fields     the result type's fields
     * @param diags      where errors go
     * @return the generated method, or null when an error was reported
     */
    public static GradientMethod differentiate(MethodIR method, String generatedPackage,
            Set<String> generatedTypeNames, String resultType, ResultFields fields, Diagnostics diags) {
        Lowering.Lowered lowered = Lowering.lower(method);
        Names names = lowered.names();
        int before = diags.errorCount();
        Activity activity = Activity.analyse(lowered.body(), method.wrt(), method.params(), lowered.result(), diags);
        Expand.Expanded expanded = Expand.expand(lowered.body(), activity, names, lowered.nextSymId());
        // again on the expanded body, always: its statements are new nodes, and what the arrays hold is recorded
        // per statement
        activity = Activity.analyse(expanded.body(), method.wrt(), method.params(), lowered.result(),
                Diagnostics.NONE);
        if (diags.errorCount() > before) {
            return null;
        }
        int size = size(expanded.body());
        if (size > MAX_NODES) {
            diags.error(dev.adjoint.processor.diagnostics.DiagnosticId.ADJ033, method.pos(), "'" + method.name()
                    + "' has " + size + " operations after lowering; its gradient would pass the JVM's 64 KB limit "
                    + "per method (the limit here is " + MAX_NODES + ")");
            return null;
        }
        Tbr tbr = Tbr.analyse(expanded.body(), activity);
        String out = names.fresh("out");
        String tape = names.fresh("tape");
        java.util.Set<String> userNames = new java.util.HashSet<>();
        method.params().forEach(p -> userNames.add(p.name()));
        dev.adjoint.processor.ir.IrWalker.forEachSym(method.body(), s -> userNames.add(s.name()));
        ExprPrinter printer = new ExprPrinter(generatedPackage, generatedTypeNames, userNames, e -> null);
        renameShadowed(expanded.body(), method, tbr, names, printer);
        ReverseMode reverse = new ReverseMode(expanded.body(), activity, tbr, names, printer, tape);
        ReverseMode.StmtDiff sweeps = reverse.sweeps();
        Sym result = lowered.result();

        CodeBlock.Builder b = CodeBlock.builder();
        b.beginControlFlow("if ($L == null)", out);
        b.addStatement("$L = new $L()", out, resultType);
        b.endControlFlow();
        if (reverse.usesTape()) {
            b.addStatement("$T $L = $L.$L.reset()", ClassName.get("dev.adjoint.runtime", "Tape"), tape, out,
                    fields.tapeField());
        }
        ClassName buffers = ClassName.get("dev.adjoint.runtime", "Buffers");
        for (Sym p : method.params()) {
            if (p.type().isArray() && activity.isActive(p)) {
                if (method.wrt().contains(p)) {
                    String f = fields.gradientField(p);
                    b.addStatement("$L $L = $L.$L = $T.zeros($L.$L, $L)", p.type().java(), reverse.bar(p), out, f,
                            buffers, out, f, p.name());
                } else {
                    b.addStatement("$L $L = $T.like($L)", p.type().java(), reverse.bar(p), buffers, p.name());
                }
            }
        }
        b.add("\n// Forward sweep: the original computation, saving what the reverse sweep needs.\n");
        b.add(sweeps.forward());
        b.addStatement("$L.$L = $L", out, fields.valueField(), result.name());
        if (activity.isActive(result)) {
            b.add("\n// Reverse sweep: xBar = d(result)/dx, from the result back to the parameters.\n");
            b.addStatement("double $L = 1.0", reverse.bar(result));
            for (Sym p : method.params()) {
                if (p.type() == Ty.DOUBLE && activity.isActive(p)) {
                    b.addStatement("double $L = 0.0", reverse.bar(p));
                }
            }
            for (Sym s : reverse.topLevelScalars()) {
                if (s != result) {
                    b.addStatement("double $L = 0.0", reverse.bar(s));
                }
            }
            b.add(sweeps.reverse());
            b.add("\n");
        }
        for (Sym p : method.wrt()) {
            if (p.type() == Ty.DOUBLE) {
                b.addStatement("$L.$L = $L", out, fields.gradientField(p),
                        activity.isActive(p) && activity.isActive(result) ? reverse.bar(p) : "0.0");
            } else if (!activity.isActive(p)) {
                String f = fields.gradientField(p);
                b.addStatement("$L.$L = $T.zeros($L.$L, $L)", out, f, buffers, out, f, p.name());
            }
        }
        b.addStatement("return $L", out);
        return new GradientMethod(method, b.build(), reverse.usesTape(), out);
    }


    /**
     * The reverse sweep runs where the top-level locals are in scope, and re-declares the locals of nested blocks
     * that it takes back from the tape at the top of their block's reverse: a local of a nested scope that shares
     * its name with one of those (legal in the user's code when the nested one comes first: {@code for (int i ...)
     * ...; int i = 0;}), with a parameter or with a top-level local gets a fresh name in generated code.
     */
    private static void renameShadowed(dev.adjoint.processor.ir.Core.Block body, MethodIR method, Tbr tbr,
            Names names, ExprPrinter printer) {
        java.util.Set<String> topLevel = new java.util.HashSet<>();
        method.params().forEach(p -> topLevel.add(p.name()));
        for (dev.adjoint.processor.ir.Core c : body.stmts()) {
            if (c instanceof dev.adjoint.processor.ir.Core.Declare d) {
                topLevel.add(d.sym().name());
            }
        }
        for (Sym s : nestedSyms(body)) {
            if (topLevel.contains(s.name())) {
                printer.rename(s, names.fresh(s.name()));
            }
        }
        // blocks are visited outside in, so a block's restored locals have their final names before its nested ones
        dev.adjoint.processor.lower.CoreWalk.forEach(body, c -> {
            if (c instanceof dev.adjoint.processor.ir.Core.Block b && b != body && !tbr.saves(b).isEmpty()) {
                java.util.Set<String> restored = new java.util.HashSet<>();
                tbr.saves(b).forEach(s -> restored.add(printer.name(s)));
                for (Sym s : nestedSyms(b)) {
                    if (restored.contains(printer.name(s))) {
                        printer.rename(s, names.fresh(s.name()));
                    }
                }
            }
        });
    }

    /** @return the locals and loop indices declared inside the statements of {@code b}, not directly in it */
    private static java.util.Set<Sym> nestedSyms(dev.adjoint.processor.ir.Core.Block b) {
        java.util.Set<Sym> nested = new java.util.LinkedHashSet<>();
        for (dev.adjoint.processor.ir.Core top : b.stmts()) {
            dev.adjoint.processor.lower.CoreWalk.forEach(top, c -> {
                if (c instanceof dev.adjoint.processor.ir.Core.Declare d && c != top) {
                    nested.add(d.sym());
                } else if (c instanceof dev.adjoint.processor.ir.Core.Loop l && l.counted() != null) {
                    nested.add(l.counted().index());
                }
            });
        }
        return nested;
    }

    private static int size(dev.adjoint.processor.ir.Core.Block body) {
        int[] n = {0};
        dev.adjoint.processor.lower.CoreWalk.forEach(body, c -> {
            n[0]++;
            for (dev.adjoint.processor.ir.Expr e : Activity.exprsOf(c)) {
                dev.adjoint.processor.ir.IrWalker.visit(e, x -> n[0]++);
            }
        });
        return n[0];
    }
}
