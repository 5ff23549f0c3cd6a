package dev.adjoint.processor.stages;

import static dev.adjoint.processor.stages.Stages.analyse;
import static dev.adjoint.processor.stages.Stages.one;
import static dev.adjoint.processor.stages.Stages.parse;
import static dev.adjoint.processor.stages.Stages.showStmts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.processor.analysis.Expand;
import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.Sym;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Expand alone: active {@code ?:} and initializers brought into the form the rules take. */
class ExpandStageTest {

    @Test
    void lowerAndExpandTurnAConditionalIntoTheSameIfWithNamesFromOneTable() {
        Stages.Analysed a = analyse(parse("@Differentiable static double f(double x, int i) {"
                + " double y = i++ > 0 ? x : 2 * x; double z = i > 1 ? x * x : x; return y + z; }"));
        assertEquals(List.of(
                // lowering: the ?: has a side effect in its condition
                "int old = i",
                "i = i + 1",
                "double choice = 0.0",
                "if (old > 0) {",
                "  choice = x",
                "} else {",
                "  choice = 2 * x",
                "}",
                "double y = choice",
                // Expand: the ?: chooses between active values
                "double choice_ = 0.0",
                "if (i > 1) {",
                "  choice_ = x * x",
                "} else {",
                "  choice_ = x",
                "}",
                "double z = choice_",
                "double result = y + z"), showStmts(a.body()));
        Sym lowered = one(a.body(), Core.Declare.class, d -> d.sym().name().equals("choice")).sym();
        Sym expanded = one(a.body(), Core.Declare.class, d -> d.sym().name().equals("choice_")).sym();
        assertTrue(expanded.id() > lowered.id());
        assertTrue(expanded.id() > a.lowered().result().id());
        assertTrue(a.activity().isActive(expanded));
    }

    @Test
    void anInactiveConditionalStaysAnExpression() {
        Stages.Analysed a = analyse(parse("@Differentiable static double f(double x, int n) {"
                + " double c = n > 0 ? 1.0 : 2.0; return c * x; }"));
        assertEquals(List.of("double c = (n > 0) ? 1.0 : 2.0", "double result = c * x"), showStmts(a.body()));
        Expand.Expanded again = Expand.expand(a.lowered().body(), a.firstActivity(), a.lowered().symbols());
        assertFalse(again.changed());
    }

    @Test
    void anActiveInitializerBecomesAnAllocationAndOneWritePerElement() {
        Stages.Analysed a = analyse(parse("@Differentiable static double f(double x) {"
                + " double[] v = {x, 2.0 * x}; double[][] m = {{x}, {1.0}}; return v[0] * v[1] + m[0][0]; }"));
        assertEquals(List.of(
                "double[] v = new double[2]",
                "v[0] = x",
                "v[1] = 2.0 * x",
                "double[][] m = new double[2][]",
                "m[0] = new double[1]",
                "m[0][0] = x",
                "m[1] = new double[1]",
                "m[1][0] = 1.0",
                "double result = (v[0] * v[1]) + m[0][0]"), showStmts(a.body()));
    }
}
