package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.Javac;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The explanation page (issue 12): written through the Filer beside the generated source only when a method asks
 * ({@code @Differentiable(explain = true)}) or the build does ({@code -Aadjoint.explain=true}); self-contained (no
 * script, no link to anything outside the file); the paper's four steps for each explained method; and a data-flow
 * graph with one node per intermediate variable. The generated code is the same with or without it.
 */
class ExplainPageTest {
    private static final String PAGE = "paper/ExamplesGrad.explain.html";

    private static String source(String explain) {
        return """
                package paper;

                import dev.adjoint.Differentiable;

                class Examples {
                    @Differentiable%s
                    static double sinOfSquare(double x) {
                        return Math.sin(x * x);
                    }

                    @Differentiable
                    static double threeXSquaredY(double x, double y) {
                        return 3 * x * x * y;
                    }

                    @Differentiable%s
                    static double sumOfSquares(double[] x) {
                        double s = 0;
                        for (int i = 0; i < x.length; i++) {
                            s += x[i] * x[i];
                        }
                        return s;
                    }
                }
                """.formatted(explain, explain);
    }

    @Test
    void aMethodThatAsksGetsItsSectionAndTheOthersNone() {
        Compilation c = Javac.adjoint().strict().compile(source("(explain = true)")).assertSucceeded();
        String page = c.generatedResources().get(PAGE);
        assertTrue(page != null, "no page among " + c.generatedResources().keySet());
        assertTrue(page.startsWith("<!DOCTYPE html>"), page);
        assertTrue(page.contains("<section id=\"sinOfSquare\">"), page);
        assertFalse(page.contains("<section id=\"threeXSquaredY\">"), "not asked for:\n" + page);
        // the four steps, with the paper's closed form
        String text = text(page);
        assertTrue(text.contains("u1 = x² line 8"), "u1, from line 8 of the source:\n" + text);
        assertTrue(text.contains("u2 = sin(u1) line 8"), text);
        assertTrue(text.contains("∂u1/∂x = 2·x power rule: d(x*x)/dx = 2x"), text);
        assertTrue(text.contains("∂u2/∂u1 = cos(u1) sine rule: d sin(x)/dx = cos(x)"), text);
        assertTrue(text.contains("du1/dx = 2·x"), text);
        assertTrue(text.contains("du2/dx = cos(u1)·du1/dx"), text);
        assertTrue(text.contains("∂f/∂x = 2·x·cos(x²)"), text);
        // a loop is said to be outside the closed form, not silently skipped
        assertTrue(page.contains("<section id=\"sumOfSquares\">") && page.contains("Not derived in closed form"), page);
        // self-contained: nothing fetched
        assertFalse(Pattern.compile("<script|<link|src=|@import|https?://(?!www\\.w3\\.org/2000/svg)").matcher(page)
                .find(), page);
        // the picture: one node per intermediate variable (u1, u2), one per input (x)
        String svg = page.substring(page.indexOf("<svg"), page.indexOf("</svg>"));
        assertEquals(2, count(svg, "class=\"node intermediate\""), svg);
        assertEquals(1, count(svg, "class=\"node input\""), svg);
        assertEquals(2, count(svg, "class=\"edge\""), svg);
    }

    @Test
    void theBuildOptionExplainsEveryMethodAndTheGeneratedCodeIsTheSame() {
        Compilation plain = Javac.adjoint().strict().compile(source("")).assertSucceeded();
        assertTrue(plain.generatedResources().keySet().stream().noneMatch(n -> n.endsWith(".explain.html")),
                plain.generatedResources().keySet().toString());
        Compilation all = Javac.adjoint().strict().withOptions("-Aadjoint.explain=true").compile(source(""))
                .assertSucceeded();
        String page = all.generatedResources().get(PAGE);
        assertTrue(page != null && page.contains("<section id=\"threeXSquaredY\">"), String.valueOf(page));
        assertTrue(text(page).contains("∂f/∂x = 6·x·y"), text(page));
        assertTrue(text(page).contains("∂f/∂y = 3·x²"), text(page));
        assertEquals(plain.generatedSource("paper.ExamplesGrad"), all.generatedSource("paper.ExamplesGrad"));
    }

    @Test
    void aLoopAndABranchAreExplainedStatementByStatementWithPointersToTheGeneratedLines() {
        Compilation c = Javac.adjoint().strict().compile("""
                package paper;

                import dev.adjoint.Differentiable;

                class Loops {
                    @Differentiable(explain = true)
                    static double f(double[] x, double a) {
                        double s = 0;
                        for (int i = 0; i < x.length; i++) {
                            s += x[i] * x[i];
                        }
                        double t = Math.sin(a * s);
                        if (t > 0) {
                            t = t * a;
                        } else {
                            t = Math.exp(t);
                        }
                        return t + s;
                    }
                }
                """).assertSucceeded();
        String page = c.generatedResources().get("paper/LoopsGrad.explain.html");
        String text = text(page);
        // each statement where it runs, its intermediate variables, its partials, and the reverse sweep's share
        assertTrue(text.contains("s = s + x[i]² (in each trip of the loop over i) line 10"), text);
        assertTrue(text.contains("u1 = x[i]²"), text);
        assertTrue(text.contains("∂u1/∂x[i] = 2·x[i] power rule"), text);
        assertTrue(text.contains("∂s/∂x[i] = 2·x[i] reverse: x̄[i] += (2·x[i])·s̄"), text);
        assertTrue(text.contains("∂s/∂s = 1 reverse: s̄ is unchanged"), text);
        assertTrue(text.contains("t = a·t (when t > 0)"), text);
        assertTrue(text.contains("∂t/∂t = a reverse: t̄ ← a·t̄"), text);
        assertTrue(text.contains("∂t/∂a = t reverse: ā += t·t̄"), text);
        assertTrue(text.contains("t = exp(t) (when not (t > 0))"), text);
        assertTrue(text.contains("∂t/∂a = s·cos(a·s) reverse: ā += (s·cos(a·s))·t̄"), text);
        // every pointer names a line of the generated gradient that carries that source line's statement
        String[] generated = c.generatedSource("paper.LoopsGrad").split("\n", -1);
        Matcher m = Pattern.compile("LoopsGrad\\.java, line (\\d+), under the comment of source line (\\d+)")
                .matcher(text);
        java.util.Map<Integer, String> expected = java.util.Map.of(10, "// s = s + x[i] * x[i]",
                12, "// double t = Math.sin(a * s)", 14, "// t = t * a", 16, "// t = Math.exp(t)",
                18, "// double result = t + s");
        int pointers = 0;
        while (m.find()) {
            int at = Integer.parseInt(m.group(1));
            int source = Integer.parseInt(m.group(2));
            String want = expected.get(source);
            assertTrue(want != null, "a pointer from source line " + source);
            assertEquals(want, generated[at - 1].trim(), "generated line " + at);
            pointers++;
        }
        assertEquals(5, pointers, text); // each statement but s = 0, whose reverse sweep has nothing to do
        // the picture: the inputs, the top-level statements, the loop and the branch folded into one node each
        String svg = page.substring(page.indexOf("<svg"), page.indexOf("</svg>"));
        assertEquals(2, count(svg, "class=\"node input\""), svg);
        assertEquals(3, count(svg, "class=\"node intermediate\""), svg); // s = 0, t = sin(a·s), f
        assertEquals(2, count(svg, "class=\"node loop\""), svg);
        assertTrue(svg.contains(">for i</text>") && svg.contains(">if t &gt; 0</text>"), svg);
    }

    /** The page's text: tags dropped, each row and cell a space apart. */
    private static String text(String html) {
        return html.replaceAll("</t[dr]>", " ").replaceAll("<[^>]+>", "").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&").replaceAll("[ \t]+", " ");
    }

    private static int count(String s, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
