package dev.adjoint.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * What tests measured (timings, error sizes, counts of compared and skipped components), kept out of the build
 * log so that a passing build prints only Maven's own lines. Each line goes to {@code test-measurements.txt} in
 * the module's {@code target} directory (beside {@code test-classes}; written anew by each test run), and also to
 * {@code System.out} with {@code -Dadjoint.test.print=true}.
 *
 * <p>Only for what a passing test measured: why a test fails belongs in its assertion's message.
 */
public final class Measurements {
    /** The system property that also prints every line to {@code System.out}. */
    public static final String PRINT_PROPERTY = "adjoint.test.print";

    /** The system property naming another file to write. */
    public static final String FILE_PROPERTY = "adjoint.test.measurements";

    private static boolean started;

    private Measurements() {}

    /** Records one line, formatted with {@link Locale#ROOT} (no line separator needed). */
    public static void record(String format, Object... args) {
        record(String.format(Locale.ROOT, format, args));
    }

    /** Records one line. */
    public static synchronized void record(String line) {
        Path file = file();
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (started) {
                Files.writeString(file, line + System.lineSeparator(), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } else {
                Files.writeString(file, line + System.lineSeparator(), StandardCharsets.UTF_8);
                started = true;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record a measurement in " + file, e);
        }
        if (Boolean.getBoolean(PRINT_PROPERTY)) {
            System.out.println(line);
        }
    }

    /** The file the lines go to. */
    public static Path file() {
        String given = System.getProperty(FILE_PROPERTY, "");
        if (!given.isEmpty()) {
            return Path.of(given);
        }
        try {
            Path classes = Path.of(Measurements.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path target = Files.isDirectory(classes) && classes.getParent() != null ? classes.getParent()
                    : Path.of(System.getProperty("java.io.tmpdir"));
            return target.resolve("test-measurements.txt");
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
