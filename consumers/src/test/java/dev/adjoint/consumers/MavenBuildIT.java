package dev.adjoint.consumers;

import static dev.adjoint.consumers.Consumers.JAVA_HOME;
import static dev.adjoint.consumers.Consumers.REPO;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A user's Maven project, made from the README's {@code pom.xml} exactly as printed there, built by the machine's
 * Maven (the one running this build: 3.8 on CI) and by a current Maven 3.9 fetched from Maven Central, on the JDK
 * running the tests, with the artifacts just built and nothing else of ours. Once on the class path, once as a
 * named module ({@code module-info.java} from the README). The only thing added to the README's text is
 * {@code -Xlint:all -Werror}, to show that the generated code compiles cleanly.
 */
class MavenBuildIT {
    private static final String PROCESSOR_PATHS = "          <annotationProcessorPaths>\n";
    private static final String LINT = "          <compilerArgs>\n"
            + "            <arg>-Xlint:all</arg>\n"
            + "            <arg>-Werror</arg>\n"
            + "          </compilerArgs>\n"
            + PROCESSOR_PATHS;

    static Stream<Arguments> builds() {
        List<Arguments> all = new ArrayList<>();
        Path machine = Path.of(System.getProperty("consumers.machineMaven"));
        Path current = Path.of(System.getProperty("consumers.maven39"));
        for (boolean modular : new boolean[] {false, true}) {
            all.add(Arguments.of("machine", machine, modular));
            all.add(Arguments.of("3.9", current, modular));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "Maven {0}, modular: {2}")
    @MethodSource("builds")
    void readmePomBuildsAndTheGradientIsRight(String label, Path mavenHome, boolean modular) {
        Path mvn = mavenHome.resolve("bin/mvn");
        assertTrue(Files.isRegularFile(mvn), "no Maven at " + mavenHome);
        Path project = Consumers.freshProject("maven-" + label + (modular ? "-module" : "-classpath"));

        String pom = Consumers.readmeTemplate("pom.xml");
        assertTrue(pom.contains(PROCESSOR_PATHS), pom);
        Consumers.write(project.resolve("pom.xml"), pom.replace(PROCESSOR_PATHS, LINT));
        Consumers.writeUserSources(project.resolve("src/main/java"));
        if (modular) {
            Consumers.writeModuleInfo(project.resolve("src/main/java"));
        }
        Path settings = project.resolve("settings.xml");
        Consumers.write(settings, settings());

        Consumers.Run build = Consumers.run(project, List.of("sh", mvn.toString(), "-B", "--no-transfer-progress",
                "-s", settings.toString(), "-Dmaven.repo.local=" + REPO, "compile")).assertSucceeded();
        String version = Consumers.run(project, List.of("sh", mvn.toString(), "-v")).assertSucceeded().output();
        assertTrue(build.output().contains("BUILD SUCCESS"), build.output());
        if (label.equals("3.9")) {
            assertTrue(version.contains("Apache Maven 3.9."), version);
        }

        String generated = Consumers.assertGeneratedSource(
                project.resolve("target/generated-sources/annotations/my/app/ModelGrad.java"));
        assertTrue(Files.isRegularFile(project.resolve("target/classes/my/app/ModelGrad.class")));
        if (modular) {
            // the module reads only the runtime: javax.annotation.processing.Generated is not visible to it
            assertFalse(generated.contains("javax.annotation.processing"), generated);
        }

        String runtime = Consumers.installed("adjoint-runtime", "jar").toString();
        List<String> java = modular
                ? List.of(JAVA_HOME.resolve("bin/java").toString(), "--module-path",
                        "target/classes" + File.pathSeparator + runtime, "-m", "my.app/my.app.Main")
                : List.of(JAVA_HOME.resolve("bin/java").toString(), "-cp",
                        "target/classes" + File.pathSeparator + runtime, "my.app.Main");
        Consumers.assertGradientPrinted(Consumers.run(project, java).assertSucceeded().output());
    }

    /**
     * Settings for the throwaway build: its local repository is the temporary one (given on the command line), which
     * holds our artifacts; third-party plugins come from the outer build's local repository when it has them (read
     * as a file repository, releases only, so that no dev.adjoint snapshot can come from there), else from Maven
     * Central.
     */
    private static String settings() {
        String cache = Path.of(System.getProperty("consumers.userRepo")).toUri().toString();
        String repo = """
                    <id>outer-build-cache</id>
                    <url>%s</url>
                    <releases><enabled>true</enabled><checksumPolicy>ignore</checksumPolicy></releases>
                    <snapshots><enabled>false</enabled></snapshots>
                """.formatted(cache);
        return """
                <settings>
                  <profiles>
                    <profile>
                      <id>consumers</id>
                      <repositories>
                        <repository>
                %s        </repository>
                      </repositories>
                      <pluginRepositories>
                        <pluginRepository>
                %s        </pluginRepository>
                      </pluginRepositories>
                    </profile>
                  </profiles>
                  <activeProfiles>
                    <activeProfile>consumers</activeProfile>
                  </activeProfiles>
                </settings>
                """.formatted(repo, repo);
    }
}
