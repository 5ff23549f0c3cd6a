package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.adjoint.testing.Compilation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's "In 30 seconds" shows a function and, "real output, trimmed", the code generated for it. Compiles the
 * README's own function and checks that every line of the excerpt is in the generated class, in the order shown
 * ({@code ...} marks lines left out), so the README cannot drift from what Adjoint writes.
 */
class ReadmeExcerptTest {

    @Test
    void generatedExcerptIsRealOutput() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        List<String> blocks = javaBlocks(readme);
        String function = blocks.get(0);
        assertTrue(function.contains("@Differentiable") && function.contains("class Neuron"), function);
        String excerpt = blocks.stream().filter(b -> b.contains("// Reverse sweep")).findFirst()
                .orElseThrow(() -> new AssertionError("no generated excerpt in the README"));

        Compilation c = GradientTesting.compile("package readme;\n\n" + function);
        List<String> generated = new ArrayList<>();
        for (String line : c.generatedSource("readme.NeuronGrad").split("\n")) {
            generated.add(line.strip());
        }
        int at = 0;
        int matched = 0;
        for (String line : excerpt.split("\n")) {
            String want = line.strip();
            if (want.isEmpty() || want.equals("...")) {
                continue;
            }
            int found = generated.subList(at, generated.size()).indexOf(want);
            if (found < 0) {
                fail("the README's excerpt line\n  " + want + "\nis not in the generated code (after line " + at
                        + "):\n" + c.generatedSource("readme.NeuronGrad"));
            }
            at += found + 1;
            matched++;
        }
        assertTrue(matched >= 20, "the excerpt is nearly empty: " + matched + " lines");
        assertEquals(-1, excerpt.indexOf('\t'), "tabs in the README's excerpt");
    }

    private static List<String> javaBlocks(String markdown) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
