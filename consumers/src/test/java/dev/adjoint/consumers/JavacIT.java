package dev.adjoint.consumers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Plain javac, as scripts, Ant, Bazel and IDE set-ups call it: the README's command lines, run as printed (with
 * {@code -Xlint:all -Werror} added), with only the processor jar on the processor path and only the runtime jar on
 * the class path or module path. Nothing else of ours, and none of the processor's dependencies, is there.
 */
class JavacIT {

    @ParameterizedTest(name = "modular: {0}")
    @ValueSource(booleans = {false, true})
    void readmeCommandsWithOneJarEach(boolean modular) throws Exception {
        Path project = Consumers.freshProject("javac-" + (modular ? "module" : "classpath"));
        for (String artifact : List.of("adjoint-processor", "adjoint-runtime")) {
            Path jar = Consumers.installed(artifact, "jar");
            Files.copy(jar, project.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        Consumers.writeUserSources(project.resolve("src"));
        if (modular) {
            Consumers.writeModuleInfo(project.resolve("src"));
        }

        List<String> commands = commands(modular);
        assertEquals(2, commands.size(), "expected a javac and a java line: " + commands);
        String javac = commands.get(0);
        assertTrue(javac.startsWith("javac "), javac);
        Consumers.run(project, List.of("bash", "-c", "javac -Xlint:all -Werror " + javac.substring("javac ".length())))
                .assertSucceeded();

        // javac without -s writes generated sources beside the classes
        String generated = Consumers.assertGeneratedSource(project.resolve("out/my/app/ModelGrad.java"));
        if (modular) {
            assertFalse(generated.contains("javax.annotation.processing"), generated);
        } else {
            assertTrue(generated.contains("@Generated("), generated);
        }
        Consumers.assertGradientPrinted(Consumers.run(project, List.of("bash", "-c", commands.get(1)))
                .assertSucceeded().output());
    }

    /** The README's javac block: the two lines after the "# class path" comment, or after "# module path". */
    private static List<String> commands(boolean modular) {
        List<String> lines = new ArrayList<>();
        boolean in = false;
        for (String line : Consumers.readmeTemplate("javac").split("\n")) {
            if (line.startsWith("#")) {
                in = line.startsWith(modular ? "# module path" : "# class path");
            } else if (in && !line.isBlank()) {
                lines.add(line.replace("0.1.0-SNAPSHOT", Consumers.VERSION));
            }
        }
        return lines;
    }
}
