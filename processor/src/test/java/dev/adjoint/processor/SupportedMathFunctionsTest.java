package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.processor.rules.MathFunctions;
import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.Javac;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The supported {@code Math} functions are one list ({@link MathFunctions}): the parser accepts exactly these, each
 * is differentiated, and the README and docs/DIAGNOSTICS.md name the same ones.
 */
class SupportedMathFunctionsTest {

    @Test
    void readmeListsExactlyTheSupportedFunctions() throws IOException {
        // the processor module's basedir is the working directory of its tests
        String readme = Files.readString(Path.of("..", "README.md"));
        assertEquals(new LinkedHashSet<>(MathFunctions.names()), listed(readme, "`Math` functions: `"),
                "the README's list of Math functions (the Expressions bullet) differs from the processor's");
    }

    @Test
    void diagnosticsCatalogueListsExactlyTheSupportedFunctions() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "DIAGNOSTICS.md"));
        String adj022 = doc.substring(doc.indexOf("### ADJ022"));
        assertEquals(new LinkedHashSet<>(MathFunctions.names()), listed(adj022, "Supported: `"),
                "docs/DIAGNOSTICS.md's list under ADJ022 differs from the processor's");
    }

    /** The space-separated names between {@code lead} and the next backquote, checked for repeats. */
    private static Set<String> listed(String text, String lead) {
        int start = text.indexOf(lead);
        assertTrue(start >= 0, "no '" + lead + "'");
        start += lead.length();
        int end = text.indexOf('`', start);
        List<String> names = Arrays.asList(text.substring(start, end).trim().split("\\s+"));
        Set<String> set = new LinkedHashSet<>(names);
        assertEquals(names.size(), set.size(), () -> "a name is listed twice: " + names);
        return set;
    }

    @Test
    void everyFunctionWithADoubleResultHasARuleOrIsPiecewiseConstant() {
        for (MathFunctions.Function f : MathFunctions.ALL) {
            boolean real = f.typing() == MathFunctions.Typing.DOUBLE || f.typing() == MathFunctions.Typing.PROMOTED;
            if (real && !f.piecewiseConstant()) {
                assertNotNull(f.rule(), f::toString);
                assertEquals(f.arity(), f.rule().terms().size(), f::toString);
            }
        }
    }

    /** Each function, of Math and of StrictMath, is accepted and differentiated: the gradients compile. */
    @Test
    void everyListedFunctionIsAcceptedAndDifferentiated() {
        StringBuilder methods = new StringBuilder();
        List<String> names = new ArrayList<>();
        for (String cls : List.of("Math", "StrictMath")) {
            for (MathFunctions.Function f : MathFunctions.ALL) {
                boolean integral = f.typing() == MathFunctions.Typing.INTEGRAL
                        || f.typing() == MathFunctions.Typing.TO_INT;
                String arg = f.typing() == MathFunctions.Typing.TO_INT ? "(long) x" : integral ? "(int) x" : "x";
                String args = f.arity() == 1 ? arg : f.arity() == 2 ? arg + ", " + (integral ? "3" : "y")
                        : arg + ", y, " + arg;
                String name = cls.toLowerCase() + "_" + f.name();
                names.add(name);
                methods.append("    @Differentiable static double ").append(name)
                        .append("(double x, double y) { return x * y + ").append(cls).append('.').append(f.name())
                        .append('(').append(args).append("); }\n");
            }
        }
        Compilation c = Javac.adjoint().strict().compile("package m;\nimport dev.adjoint.Differentiable;\n"
                + "class Fns {\n" + methods + "}\n");
        c.assertSucceededWithoutWarnings();
        String grad = c.generatedSource("m.FnsGrad");
        for (String name : names) {
            assertTrue(grad.contains(" " + name + "("), name);
        }
    }
}
