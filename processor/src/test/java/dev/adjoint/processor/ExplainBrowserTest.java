package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.HeadlessChromium;
import dev.adjoint.testing.Javac;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The explanation page in a real browser (Debian's {@code chromium}, headless): a generated page loaded from disk
 * renders with no console error, its data-flow graph has one drawn node per intermediate variable (for a method with
 * loops and branches, per top-level statement, each loop and branch folded into one node), and a screenshot
 * is saved under {@code target/explain/} for a human to look at. {@code .ci/run} installs chromium when it is
 * missing and sets {@code ADJOINT_BROWSER_REQUIRED}, so there this test cannot be skipped; elsewhere, without a
 * browser, it says how to get one.
 */
class ExplainBrowserTest {
    private static final String SOURCE = """
            package paper;

            import dev.adjoint.Differentiable;

            class Examples {
                @Differentiable(explain = true)
                static double sinOfSquare(double x) {
                    return Math.sin(x * x);
                }

                @Differentiable(explain = true)
                static double threeXSquaredY(double x, double y) {
                    return 3 * x * x * y;
                }

                @Differentiable(explain = true)
                static double sinOfXPlusXSquared(double x) {
                    return Math.sin(x + x * x);
                }

                @Differentiable(explain = true)
                static double loops(double[] x, double a) {
                    double s = 0;
                    for (int i = 0; i < x.length; i++) {
                        s += x[i] * x[i];
                    }
                    double t = Math.sin(a * s);
                    if (t > 0) {
                        t = t * a;
                    }
                    return t + s;
                }
            }
            """;

    @Test
    void theGeneratedPageRendersWithoutErrorsAndDrawsOneNodePerIntermediateVariable() throws Exception {
        Path chromium = HeadlessChromium.find();
        if (chromium == null) {
            String how = "no chromium: install Debian's (apt-get install chromium) to run this test; .ci/run does";
            if (System.getenv("ADJOINT_BROWSER_REQUIRED") != null) {
                throw new AssertionError(how);
            }
            Assumptions.abort(how);
        }
        Compilation c = Javac.adjoint().strict().compile(SOURCE).assertSucceeded();
        Path dir = Path.of("target", "explain");
        Files.createDirectories(dir);
        Path page = dir.resolve("ExamplesGrad.explain.html");
        Files.writeString(page, c.generatedResources().get("paper/ExamplesGrad.explain.html"), StandardCharsets.UTF_8);
        try (HeadlessChromium browser = HeadlessChromium.start(chromium)) {
            browser.load(page);
            assertEquals(4, browser.evaluateNumber("document.querySelectorAll('section').length"));
            // sin(x²): u1, u2; 3·x·x·y: u1 = 3x, u2 = u1·x, u3 = u2·y; sin(x + x²): u1 = x², u2 = x + u1, u3
            assertEquals(2, browser.evaluateNumber(
                    "document.querySelectorAll('#sinOfSquare svg .node.intermediate').length"));
            assertEquals(3, browser.evaluateNumber(
                    "document.querySelectorAll('#threeXSquaredY svg .node.intermediate').length"));
            assertEquals(3, browser.evaluateNumber(
                    "document.querySelectorAll('#sinOfXPlusXSquared svg .node.intermediate').length"));
            // a method with a loop and a branch: x, a; s = 0, t = sin(a·s), the result; the loop and the branch folded
            assertEquals(2, browser.evaluateNumber("document.querySelectorAll('#loops svg .node.input').length"));
            assertEquals(3, browser.evaluateNumber(
                    "document.querySelectorAll('#loops svg .node.intermediate').length"));
            assertEquals(2, browser.evaluateNumber("document.querySelectorAll('#loops svg .node.loop').length"));
            // drawn: every node has a box of its own on the page
            assertEquals(1, browser.evaluateNumber("[...document.querySelectorAll('svg .node')]"
                    + ".every(n => n.getBoundingClientRect().width > 10 && n.getBoundingClientRect().height > 10)"
                    + " ? 1 : 0"));
            browser.screenshot(dir.resolve("ExamplesGrad.explain.png"));
            assertTrue(browser.errors().isEmpty(), "the page reported errors: " + browser.errors());
        }
        assertTrue(Files.size(dir.resolve("ExamplesGrad.explain.png")) > 10_000, "a screenshot with something on it");
    }
}
