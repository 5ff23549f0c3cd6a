package dev.adjoint.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The long soak of {@link FuzzRunner}; off unless {@code -Dfuzz.soak=true} (see docs/RELIABILITY.md):
 * <pre>
 * mvn -B -o -pl processor -am test -Dsurefire.failIfNoSpecifiedTests=false -Dtest=SoakTest \
 *     -Dfuzz.soak=true -Dfuzz.count=100000 -Dfuzz.seed=1000000
 * </pre>
 * Properties: {@code fuzz.count} (programs, default 100000), {@code fuzz.seed} (first seed, default 1000000),
 * {@code fuzz.points} (points per program, default 2), {@code fuzz.threads}, {@code fuzz.batch},
 * {@code fuzz.print=true} (print each program's source: to replay a seed, with {@code fuzz.count=1}),
 * {@code fuzz.out} (file the mismatches are written to, default target/fuzz-mismatches.txt).
 * Ends by printing exactly {@code N programs, M mismatches, K skipped}.
 */
@EnabledIfSystemProperty(named = "fuzz.soak", matches = "true")
class SoakTest {

    @Test
    void soak() throws IOException {
        int count = Integer.getInteger("fuzz.count", 100_000);
        long first = Long.getLong("fuzz.seed", 1_000_000L);
        if (Boolean.getBoolean("fuzz.print")) {
            for (long s = first; s < first + count; s++) {
                System.out.println(ProgramGenerator.generate(s).source());
            }
        }
        AtomicLong lastReport = new AtomicLong(System.nanoTime());
        FuzzRunner.Outcome o = FuzzRunner.fromProperties(2).run(first, count, progress -> {
            long now = System.nanoTime();
            long last = lastReport.get();
            if (now - last > 30_000_000_000L && lastReport.compareAndSet(last, now)) {
                System.out.println("[soak] " + progress.summary() + " (" + progress.millis() / 1000 + " s)");
            }
        });
        List<FuzzRunner.Mismatch> ms = o.mismatches();
        Path file = Path.of(System.getProperty("fuzz.out", "target/fuzz-mismatches.txt"));
        StringBuilder b = new StringBuilder();
        ms.stream().sorted(Comparator.comparingLong(FuzzRunner.Mismatch::seed)).forEach(m -> b.append(m.describe()));
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
        System.out.println("[soak] seeds " + first + ".." + (first + count - 1) + ": " + o.details());
        System.out.println("[soak] " + o.calls());
        System.out.println("[soak] " + o.switches());
        if (!ms.isEmpty()) {
            StringBuilder seeds = new StringBuilder("[soak] mismatching seeds:");
            ms.stream().map(FuzzRunner.Mismatch::seed).sorted().forEach(s -> seeds.append(' ').append(s));
            System.out.println(seeds);
            System.out.println("[soak] mismatches written to " + file.toAbsolutePath());
            System.out.println(ms.stream().min(Comparator.comparingLong(FuzzRunner.Mismatch::seed)).get().describe());
        }
        System.out.println(o.summary());
        assertTrue(ms.isEmpty(), o::summary);
    }
}
