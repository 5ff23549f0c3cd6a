package dev.adjoint.fuzz;

import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.FiniteDifferences;
import dev.adjoint.testing.Grad;
import dev.adjoint.testing.GradientCheck;
import dev.adjoint.testing.JacobianCheck;
import dev.adjoint.testing.Javac;
import dev.adjoint.testing.RandomPoints;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.tools.Diagnostic;

/**
 * Differential fuzzing: generates programs with {@link ProgramGenerator}, compiles them in batches with the Adjoint
 * processor ({@link Javac#adjoint()}), and checks each generated gradient with {@link GradientCheck} against
 * {@link FiniteDifferences} (relative tolerance 1e-6; components where the two difference estimates disagree are
 * skipped and counted), and {@code value()} against {@code f(args)} (bitwise, or within 1e-15 relative). Programs
 * that return {@code double[]} are checked with {@link JacobianCheck} instead: {@code fJacobian} entry by entry
 * against finite differences (same tolerance, same skipping), forward against reverse mode, {@code fJvp} against
 * J·ẋ and {@code fVjp} against ȳᵀ·J, and the value of each against {@code f}'s.
 *
 * <p>A mismatch is any of: a compile failure or processor crash or ADJ diagnostic on a generated program (all of
 * them are inside the subset), a warning in the generated class, {@code CGrad.f} (or {@code fJacobian},
 * {@code fJvp}, {@code fVjp}) throwing where {@code f} does not, a value that differs from {@code f}, a gradient
 * component or Jacobian entry that differs from finite differences, forward mode that differs from reverse mode, a
 * changed argument, or a check that runs past its time bound.
 */
public final class FuzzRunner {
    /** Relative tolerance of gradient components against finite differences. */
    public static final double TOLERANCE = 1e-6;
    /** Relative tolerance of value() against f(args). */
    public static final double VALUE_TOLERANCE = 1e-15;
    /**
     * Forward against reverse mode: 1e-12 relative to the terms of ⟨∇f, v⟩, plus 1e-13 (1 + |f|) for derivatives
     * that cancel inside the program ({@link GradientCheck#jvpFloor}); for a {@code double[]} result 1e-13 (1 + |f_i|)
     * per output i, weighted by the seed where one is ({@link JacobianCheck#jvpFloor}).
     */
    public static final double JVP_FLOOR = 1e-13;

    private final int points;
    private final int batchSize;
    private final int threads;
    private final long checkTimeoutMillis;

    private static final ExecutorService CHECKS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fuzz-check");
        t.setDaemon(true);
        return t;
    });

    /** A runner: points per program, programs per compile, worker threads. */
    public FuzzRunner(int points, int batchSize, int threads) {
        this(points, batchSize, threads, 60_000);
    }

    FuzzRunner(int points, int batchSize, int threads, long checkTimeoutMillis) {
        this.points = points;
        this.batchSize = batchSize;
        this.threads = threads;
        this.checkTimeoutMillis = checkTimeoutMillis;
    }

    /** A runner configured from system properties {@code fuzz.points}, {@code fuzz.batch}, {@code fuzz.threads}. */
    public static FuzzRunner fromProperties(int defaultPoints) {
        return new FuzzRunner(Integer.getInteger("fuzz.points", defaultPoints), Integer.getInteger("fuzz.batch", 20),
                Integer.getInteger("fuzz.threads", Math.max(1, Runtime.getRuntime().availableProcessors())));
    }

    /** One mismatch. */
    public record Mismatch(long seed, String kind, String source, String detail) {
        /** Seed, kind, the program (numbered) and what went wrong. */
        public String describe() {
            return "==== seed " + seed + ": " + kind + " ====\n" + Compilation.numbered(source) + detail + "\n";
        }
    }

    /** The outcome of a run. */
    public static final class Outcome {
        private final AtomicInteger programs = new AtomicInteger();
        private final AtomicInteger vectorPrograms = new AtomicInteger();
        private final AtomicLong vectorCompared = new AtomicLong();
        private final AtomicLong skipped = new AtomicLong();
        /** Programs javac itself compiles into a class the JVM refuses ({@link #javacWritesUnverifiableCode}). */
        private final AtomicLong javacBugs = new AtomicLong();
        private final AtomicLong compared = new AtomicLong();
        private final AtomicLong jvpCompared = new AtomicLong();
        private final AtomicLong pointsChecked = new AtomicLong();
        private final AtomicLong discardedPoints = new AtomicLong();
        /** Programs with generated helpers; f calling one; with an active argument; ... (see {@link #calls()}). */
        private final AtomicInteger withHelpers = new AtomicInteger();
        private final AtomicInteger withOtherClass = new AtomicInteger();
        private final AtomicInteger withCalls = new AtomicInteger();
        private final AtomicInteger withActiveCalls = new AtomicInteger();
        private final AtomicInteger withParamCalls = new AtomicInteger();
        private final AtomicInteger withRecursiveCalls = new AtomicInteger();
        private final AtomicInteger withActiveRecursiveCalls = new AtomicInteger();
        private final AtomicInteger withWriteCalls = new AtomicInteger();
        private final AtomicLong callSites = new AtomicLong();
        /** Programs with switches; switches written; programs with each form (see {@link #switches()}). */
        private final AtomicInteger withSwitches = new AtomicInteger();
        private final AtomicLong switchCount = new AtomicLong();
        private final java.util.Map<ProgramGenerator.SwitchForm, AtomicInteger> switchForms =
                new java.util.EnumMap<>(ProgramGenerator.SwitchForm.class);

        {
            for (ProgramGenerator.SwitchForm f : ProgramGenerator.SwitchForm.values()) {
                switchForms.put(f, new AtomicInteger());
            }
        }
        private final List<Mismatch> mismatches = Collections.synchronizedList(new ArrayList<>());
        private final List<String> skippedSamples = Collections.synchronizedList(new ArrayList<>());
        private volatile long millis;

        /** Programs checked. */
        public int programs() {
            return programs.get();
        }

        /** Programs checked that return {@code double[]} (with {@link JacobianCheck}). */
        public int vectorPrograms() {
            return vectorPrograms.get();
        }

        /** Jacobian entries compared, of the vector programs (counted in {@link #compared()} too). */
        public long vectorCompared() {
            return vectorCompared.get();
        }

        /** Programs with generated helper methods. */
        public int programsWithHelpers() {
            return withHelpers.get();
        }

        /** Programs whose f calls a generated helper. */
        public int programsWithCalls() {
            return withCalls.get();
        }

        /** Programs whose f calls a helper with an argument that names a differentiated parameter. */
        public int programsWithParamCalls() {
            return withParamCalls.get();
        }

        /** Counted here: what {@link ProgramGenerator.Calls} says of each program. */
        private void count(ProgramGenerator.Calls c) {
            withHelpers.addAndGet(c.helpers() > 0 ? 1 : 0);
            withOtherClass.addAndGet(c.inOtherClass() > 0 ? 1 : 0);
            withCalls.addAndGet(c.calls() > 0 ? 1 : 0);
            withActiveCalls.addAndGet(c.activeCalls() > 0 ? 1 : 0);
            withParamCalls.addAndGet(c.paramCalls() > 0 ? 1 : 0);
            withRecursiveCalls.addAndGet(c.recursiveCalls() > 0 ? 1 : 0);
            withActiveRecursiveCalls.addAndGet(c.activeRecursiveCalls() > 0 ? 1 : 0);
            withWriteCalls.addAndGet(c.writeCalls() > 0 ? 1 : 0);
            callSites.addAndGet(c.calls());
        }

        /** Counted here: what {@link ProgramGenerator.Switches} says of each program. */
        private void count(ProgramGenerator.Switches s) {
            withSwitches.addAndGet(s.count() > 0 ? 1 : 0);
            switchCount.addAndGet(s.count());
            s.forms().forEach(f -> switchForms.get(f).incrementAndGet());
        }

        /** Programs with switches. */
        public int programsWithSwitches() {
            return withSwitches.get();
        }

        /** Programs with a switch of this form. */
        public int programsWith(ProgramGenerator.SwitchForm form) {
            return switchForms.get(form).get();
        }

        /** The programs' switches, as shares of the programs checked: how many, each form, selector and place. */
        public String switches() {
            double n = Math.max(1, programs());
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "switches in %.1f%% of programs (%d "
                    + "switches); programs with", 100 * withSwitches.get() / n, switchCount.get()));
            String sep = " ";
            for (ProgramGenerator.SwitchForm f : ProgramGenerator.SwitchForm.values()) {
                b.append(sep).append(f.name().toLowerCase(Locale.ROOT)).append(' ')
                        .append(String.format(Locale.ROOT, "%.1f%%", 100 * switchForms.get(f).get() / n));
                sep = ", ";
            }
            return b.toString();
        }

        /** The programs' helpers and calls, as shares of the programs checked. */
        public String calls() {
            double n = Math.max(1, programs());
            return String.format(Locale.ROOT,
                    "helpers in %.1f%% of programs (a second class in %.1f%%); f calls them in %.1f%% (%d call "
                    + "sites), with an argument reading a differentiated parameter or a double/array local in %.1f%%, "
                    + "naming a differentiated parameter itself in %.1f%%; a recursive helper in %.1f%% (with an "
                    + "argument reading a differentiated parameter or a local in %.1f%%), a helper writing into an "
                    + "array argument in %.1f%%",
                    100 * withHelpers.get() / n, 100 * withOtherClass.get() / n, 100 * withCalls.get() / n,
                    callSites.get(), 100 * withActiveCalls.get() / n, 100 * withParamCalls.get() / n,
                    100 * withRecursiveCalls.get() / n, 100 * withActiveRecursiveCalls.get() / n,
                    100 * withWriteCalls.get() / n);
        }

        /** Mismatches. */
        public List<Mismatch> mismatches() {
            synchronized (mismatches) {
                return List.copyOf(mismatches);
            }
        }

        /** Components skipped: the two finite-difference estimates disagreed (kinks, branch switches). */
        public long skipped() {
            return skipped.get();
        }

        /** Points at which forward mode (fJvp) was compared with reverse mode. */
        public long jvpCompared() {
            return jvpCompared.get();
        }

        /** Components compared. */
        public long compared() {
            return compared.get();
        }

        /** Points where f itself was not finite or was huge (not checked; a generator weakness, counted). */
        public long discardedPoints() {
            return discardedPoints.get();
        }

        /** Points checked. */
        public long points() {
            return pointsChecked.get();
        }

        /** Wall-clock time of the run. */
        public long millis() {
            return millis;
        }

        /** Exactly {@code N programs, M mismatches, K skipped}. */
        public String summary() {
            return programs() + " programs, " + mismatches().size() + " mismatches, " + skipped() + " skipped";
        }

        /** Points, components, discarded points, time; the vector programs' share. */
        public String details() {
            return String.format(Locale.ROOT,
                    "%d points, %d components compared, %d skipped (%.2f%%), %d forward/reverse compared, %d points "
                    + "discarded (f not finite), %.1f s; %d vector programs (double[] results), %d Jacobian entries "
                    + "of those compared; %d programs javac alone compiles into a class the JVM refuses (not checked)",
                    points(), compared(), skipped(), 100.0 * skipped() / Math.max(1, compared() + skipped()),
                    jvpCompared(),
                    discardedPoints(), millis / 1000.0, vectorPrograms(), vectorCompared(), javacBugs.get());
        }

        /** Some skipped components, described. */
        public List<String> skippedSamples() {
            synchronized (skippedSamples) {
                return List.copyOf(skippedSamples);
            }
        }
    }

    /** Runs {@code count} programs from seed {@code first} on. */
    public Outcome run(long first, int count) {
        return run(first, count, o -> { });
    }

    /** Runs {@code count} programs from seed {@code first} on, calling {@code progress} after each batch. */
    public Outcome run(long first, int count, Consumer<Outcome> progress) {
        Outcome outcome = new Outcome();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "fuzz-batch");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int off = 0; off < count; off += batchSize) {
                long from = first + off;
                int n = Math.min(batchSize, count - off);
                futures.add(pool.submit(() -> {
                    batch(from, n, outcome);
                    outcome.millis = (System.nanoTime() - start) / 1_000_000;
                    progress.accept(outcome);
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("fuzz batch failed", e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        outcome.millis = (System.nanoTime() - start) / 1_000_000;
        return outcome;
    }

    /** The processor option that writes the explanation pages. */
    private static final String EXPLAIN = "-Aadjoint.explain=true";

    private void batch(long from, int n, Outcome outcome) {
        List<ProgramGenerator.Program> programs = new ArrayList<>();
        Map<String, String> sources = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            ProgramGenerator.Program p = ProgramGenerator.generate(from + i);
            programs.add(p);
            sources.put(p.qualifiedName(), p.source());
        }
        // every program is explained too (-Aadjoint.explain=true): a failure of the explanation is a mismatch
        Compilation c = Javac.adjoint().withOptions(EXPLAIN).compile(sources);
        if (c.succeeded() || programs.size() == 1) {
            for (ProgramGenerator.Program p : programs) {
                check(p, c, outcome);
            }
            return;
        }
        // find the culprits one by one
        for (ProgramGenerator.Program p : programs) {
            check(p, Javac.adjoint().withOptions(EXPLAIN).compile(Map.of(p.qualifiedName(), p.source())), outcome);
        }
    }

    /** Checks one program of a compilation. */
    void check(ProgramGenerator.Program p, Compilation c, Outcome outcome) {
        outcome.programs.incrementAndGet();
        outcome.count(p.calls());
        outcome.count(p.switches());
        if (!c.succeeded()) {
            boolean userError = false;
            for (Compilation.Diag d : c.diagnosticsIn(p.qualifiedName())) {
                if (d.kind() == Diagnostic.Kind.ERROR && (d.message() == null || !d.message().contains("[ADJ"))) {
                    userError = true;
                }
            }
            String kind = c.crash() != null ? "processor crash"
                    : c.timedOut() ? "compile timed out"
                    : userError ? "generated program is not valid Java (generator bug)"
                    : hasAdjError(c) ? "ADJ diagnostic on a program inside the subset"
                    : "compile error in generated code";
            outcome.mismatches.add(new Mismatch(p.seed(), kind, p.source(), c.report()));
            return;
        }
        String gradName = Grad.gradClassName(p.qualifiedName());
        // warnings in the generated class, except those the user's own code also gets (a copied redundant cast)
        java.util.Set<String> own = new java.util.HashSet<>();
        List<String> unexplained = new ArrayList<>();
        for (Compilation.Diag d : c.diagnosticsIn(p.qualifiedName())) {
            own.add(d.message());
            if (d.message().contains("[ADJ020]")) {
                unexplained.add(d.toString());
            }
        }
        if (!unexplained.isEmpty()) {
            outcome.mismatches.add(new Mismatch(p.seed(), "explanation failed", p.source(),
                    String.join("\n", unexplained)));
        }
        List<String> warnings = new ArrayList<>();
        for (Compilation.Diag d : c.diagnosticsIn(gradName)) {
            if ((d.kind() == Diagnostic.Kind.WARNING || d.kind() == Diagnostic.Kind.MANDATORY_WARNING)
                    && !own.contains(d.message())) {
                warnings.add(d.toString());
            }
        }
        if (!warnings.isEmpty()) {
            outcome.mismatches.add(new Mismatch(p.seed(), "warning in generated code", p.source(),
                    String.join("\n", warnings) + "\n" + generated(c, gradName)));
        }
        Future<?> f = CHECKS.submit(() -> checkPoints(p, c, outcome));
        try {
            f.get(checkTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            outcome.mismatches.add(new Mismatch(p.seed(), "check timed out", p.source(),
                    "no result within " + checkTimeoutMillis + " ms\n" + generated(c, gradName)));
        } catch (ExecutionException e) {
            outcome.mismatches.add(new Mismatch(p.seed(), "harness error", p.source(), stack(e.getCause())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether javac alone, with no annotation processor, compiles the program into a class the JVM refuses
     * ({@link VerifyError}): a javac bug in the user's own code (seen with JDK 17.0.15 on a switch expression whose
     * arm holds a switch statement with breaks, seed 19035057), not Adjoint's, counted apart from the mismatches.
     */
    private static boolean javacWritesUnverifiableCode(ProgramGenerator.Program p) {
        Compilation plain = Javac.plain().compile(Map.of(p.qualifiedName(), p.source()));
        if (!plain.succeeded()) {
            return false;
        }
        try {
            plain.loadClass(p.qualifiedName());
            return false;
        } catch (AssertionError e) {
            return e.getCause() instanceof VerifyError;
        }
    }

    private static boolean hasAdjError(Compilation c) {
        for (Compilation.Diag d : c.errors()) {
            if (d.message() != null && d.message().contains("[ADJ")) {
                return true;
            }
        }
        return false;
    }

    private void checkPoints(ProgramGenerator.Program p, Compilation c, Outcome outcome) {
        if (p.vector()) {
            checkJacobian(p, c, outcome);
            return;
        }
        String gradName = Grad.gradClassName(p.qualifiedName());
        Grad g;
        try {
            g = Grad.of(c, p.qualifiedName(), ProgramGenerator.METHOD);
        } catch (Throwable t) {
            if (javacWritesUnverifiableCode(p)) {
                outcome.javacBugs.incrementAndGet();
                return;
            }
            outcome.mismatches.add(new Mismatch(p.seed(), "cannot load the gradient", p.source(), stack(t)
                    + generated(c, gradName)));
            return;
        }
        GradientCheck gc = GradientCheck.of(g).tolerance(TOLERANCE).valueTolerance(VALUE_TOLERANCE)
                .jvpFloor(JVP_FLOOR);
        List<String> problems = new ArrayList<>();
        for (Object[] point : RandomPoints.points(p.seed(), points, p::point)) {
            double fv;
            try {
                fv = g.f(point);
            } catch (Throwable t) {
                problems.add("f itself threw (generator bug) at " + Grad.describe(point) + ": " + stack(t));
                continue;
            }
            if (!Double.isFinite(fv) || Math.abs(fv) > 1e12) {
                outcome.discardedPoints.incrementAndGet();
                continue;
            }
            outcome.pointsChecked.incrementAndGet();
            double value;
            try {
                value = g.grad(point).value();
            } catch (Throwable t) {
                problems.add("CGrad.f threw at " + Grad.describe(point) + " where f returned " + fv + ": "
                        + stack(t));
                continue;
            }
            if (Double.doubleToLongBits(value) != Double.doubleToLongBits(fv)
                    && !(Math.abs(value - fv) <= VALUE_TOLERANCE * Math.abs(fv))) {
                problems.add(String.format(Locale.ROOT, "value() = %.17g but f = %.17g at %s", value, fv,
                        Grad.describe(point)));
            }
            int skippedBefore = gc.skipped().size();
            try {
                gc.at(point);
            } catch (Throwable t) {
                problems.add("gradient check threw at " + Grad.describe(point) + ": " + stack(t));
            }
            List<String> sk = gc.skipped();
            if (sk.size() > skippedBefore && outcome.skippedSamples.size() < 50) {
                outcome.skippedSamples.add("seed " + p.seed() + ": " + sk.get(sk.size() - 1));
            }
        }
        outcome.skipped.addAndGet(gc.skipped().size());
        outcome.compared.addAndGet(gc.compared());
        outcome.jvpCompared.addAndGet(gc.jvpCompared());
        problems.addAll(gc.failures());
        if (!problems.isEmpty()) {
            boolean generatorBug = problems.stream().allMatch(s -> s.startsWith("f itself threw"));
            boolean valueOnly = problems.stream().allMatch(s -> s.startsWith("value() ="));
            outcome.mismatches.add(new Mismatch(p.seed(), generatorBug ? "f threw (generator bug)"
                    : valueOnly ? "value mismatch" : "gradient mismatch",
                    p.source(), String.join("\n", problems) + "\n" + generated(c, gradName)));
        }
    }

    /** A program returning {@code double[]}: its Jacobian, JVP and VJP by {@link JacobianCheck}. */
    private void checkJacobian(ProgramGenerator.Program p, Compilation c, Outcome outcome) {
        outcome.vectorPrograms.incrementAndGet();
        String gradName = Grad.gradClassName(p.qualifiedName());
        JacobianCheck jc;
        try {
            jc = JacobianCheck.of(c, p.qualifiedName(), ProgramGenerator.METHOD,
                    p.differentiated().toArray(new String[0])).tolerance(TOLERANCE).valueTolerance(VALUE_TOLERANCE)
                    .jvpFloor(JVP_FLOOR);
        } catch (Throwable t) {
            if (javacWritesUnverifiableCode(p)) {
                outcome.javacBugs.incrementAndGet();
                return;
            }
            outcome.mismatches.add(new Mismatch(p.seed(), "cannot load the gradient", p.source(), stack(t)
                    + generated(c, gradName)));
            return;
        }
        List<String> problems = new ArrayList<>();
        for (Object[] point : RandomPoints.points(p.seed(), points, p::point)) {
            double[] fv;
            try {
                fv = jc.f(point);
            } catch (Throwable t) {
                problems.add("f itself threw (generator bug) at " + Grad.describe(point) + ": " + stack(t));
                continue;
            }
            if (fv == null || fv.length != p.outputs()) {
                problems.add("f returned " + (fv == null ? "null" : fv.length + " values") + ", not "
                        + p.outputs() + " (generator bug) at " + Grad.describe(point));
                continue;
            }
            boolean usable = true;
            for (double v : fv) {
                usable &= Double.isFinite(v) && Math.abs(v) <= 1e12;
            }
            if (!usable) {
                outcome.discardedPoints.incrementAndGet();
                continue;
            }
            outcome.pointsChecked.incrementAndGet();
            int skippedBefore = jc.skipped();
            try {
                jc.at(point);
            } catch (Throwable t) {
                problems.add("the generated fJacobian, fJvp or fVjp threw at " + Grad.describe(point)
                        + " where f returned " + java.util.Arrays.toString(fv) + ": " + stack(t));
            }
            List<String> sk = jc.skippedEntries();
            if (sk.size() > skippedBefore && outcome.skippedSamples.size() < 50) {
                outcome.skippedSamples.add("seed " + p.seed() + ": " + sk.get(sk.size() - 1));
            }
        }
        outcome.skipped.addAndGet(jc.skipped());
        outcome.compared.addAndGet(jc.compared());
        outcome.vectorCompared.addAndGet(jc.compared());
        outcome.jvpCompared.addAndGet(jc.jvpCompared());
        problems.addAll(jc.failures());
        if (!problems.isEmpty()) {
            boolean generatorBug = problems.stream().allMatch(s -> s.startsWith("f itself threw")
                    || s.contains("(generator bug)"));
            boolean valueOnly = problems.stream().allMatch(s -> s.startsWith("value() "));
            outcome.mismatches.add(new Mismatch(p.seed(), generatorBug ? "f threw (generator bug)"
                    : valueOnly ? "value mismatch" : "gradient mismatch",
                    p.source(), String.join("\n", problems) + "\n" + generated(c, gradName)));
        }
    }

    private static String generated(Compilation c, String name) {
        String s = c.generatedSources().get(name);
        return s == null ? "(no generated source " + name + ")\n" : "---- generated " + name + " ----\n"
                + Compilation.numbered(s);
    }

    private static String stack(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        String s = w.toString();
        return s.length() > 3000 ? s.substring(0, 3000) + "...\n" : s;
    }
}
