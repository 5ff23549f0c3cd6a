package dev.adjoint.gradbench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GradBench's protocol, tool side (docs/GRADBENCH.md): one JSON message per line on {@code in}, exactly one JSON
 * response line on {@code out} for each, flushed; everything else goes to {@code log}. A line that is not JSON, or a
 * message without an integer {@code id} to answer, ends the run with status 1 and a message on {@code log}.
 */
public final class Tool {

    /** What the tool does besides the protocol: the warm-up before an evaluate's timed runs. */
    public record Settings(double warmupSeconds, int warmupRuns) {
        /**
         * From the system properties {@code adjoint.gradbench.warmup.seconds} (default 3.0) and
         * {@code adjoint.gradbench.warmup.runs} (default 100000): warm-up stops at whichever comes first; 0 turns it
         * off. (Large generated methods, ht's, are compiled by HotSpot's C2 only after seconds of runs.)
         */
        public static Settings fromProperties() {
            double seconds = Double.parseDouble(System.getProperty("adjoint.gradbench.warmup.seconds", "3.0"));
            int runs = Integer.parseInt(System.getProperty("adjoint.gradbench.warmup.runs", "100000"));
            return new Settings(seconds, runs);
        }
    }

    private static final String VERSION = Tool.class.getPackage().getImplementationVersion() != null
            ? Tool.class.getPackage().getImplementationVersion() : "0.1.0-SNAPSHOT";

    private final Map<String, Eval> evals = new LinkedHashMap<>();
    private final Settings settings;
    private final PrintStream log;
    private final ObjectMapper mapper;
    private final JsonFactory factory;

    public Tool(List<Eval> evals, Settings settings, PrintStream log) {
        for (Eval e : evals) {
            this.evals.put(e.module(), e);
        }
        this.settings = settings;
        this.log = log;
        // NaN and Infinity are read (and then refused as input with a clear error) rather than failing the line
        this.mapper = JsonMapper.builder()
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        this.factory = mapper.getFactory();
        this.factory.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    /** Serves messages until the end of {@code in}; returns the exit status (0, or 1 after a line it cannot answer). */
    public int serve(InputStream in, OutputStream out) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode message;
            try {
                message = mapper.readTree(line);
            } catch (IOException e) {
                log.println("adjoint-gradbench: line " + number + " is not JSON (" + firstLine(e.getMessage())
                        + "); stopping");
                return 1;
            }
            JsonNode id = message == null ? null : message.get("id");
            if (message == null || !message.isObject() || id == null || !id.canConvertToLong() || !id.isIntegralNumber()) {
                log.println("adjoint-gradbench: line " + number + " is not a message with an integer id, so it cannot"
                        + " be answered; stopping");
                return 1;
            }
            Map<String, Object> response = respond(id.longValue(), message);
            write(out, response);
        }
        return 0;
    }

    private Map<String, Object> respond(long id, JsonNode message) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", id);
        JsonNode kind = message.get("kind");
        String k = kind != null && kind.isTextual() ? kind.asText() : "";
        switch (k) {
            case "start" -> {
                r.put("tool", "adjoint");
                Map<String, Object> config = new LinkedHashMap<>();
                config.put("adjoint", VERSION);
                config.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
                config.put("warmup_seconds", settings.warmupSeconds());
                config.put("warmup_runs", settings.warmupRuns());
                r.put("config", config);
            }
            case "define" -> {
                JsonNode module = message.get("module");
                String m = module != null && module.isTextual() ? module.asText() : null;
                String why = m == null ? "a define message needs a string \"module\"" : unsupported(m);
                r.put("success", why == null);
                if (why != null) {
                    r.put("error", why);
                    log.println("adjoint-gradbench: define " + m + ": " + why);
                }
            }
            case "evaluate" -> evaluate(message, r);
            case "analysis" -> {
                JsonNode valid = message.get("valid");
                if (valid != null && !valid.asBoolean(true)) {
                    JsonNode error = message.get("error");
                    log.println("adjoint-gradbench: the eval judged message " + message.path("of").asText("?")
                            + " wrong" + (error == null ? "" : ": " + error.asText()));
                }
            }
            default -> {
                // unknown kinds are answered with the id alone, as the protocol asks
            }
        }
        return r;
    }

    /** Why {@code module} cannot be defined, or null if it can. */
    private String unsupported(String module) {
        if (evals.containsKey(module)) {
            return null;
        }
        if (Evals.SECOND_ORDER.containsKey(module)) {
            return "module " + module + " is not supported yet: it needs " + Evals.SECOND_ORDER.get(module)
                    + ", and Adjoint does not generate second-order derivatives yet (docs/GRADBENCH.md)";
        }
        return "module " + module + " is not implemented by Adjoint's tool (it implements "
                + String.join(", ", evals.keySet()) + ")";
    }

    private void evaluate(JsonNode message, Map<String, Object> r) {
        String module = message.path("module").isTextual() ? message.get("module").asText() : null;
        String function = message.path("function").isTextual() ? message.get("function").asText() : null;
        JsonNode input = message.get("input");
        String error;
        if (module == null || function == null || input == null) {
            error = "an evaluate message needs a string \"module\", a string \"function\" and an \"input\"";
        } else if (unsupported(module) != null) {
            error = unsupported(module);
        } else if (!evals.get(module).functions().contains(function)) {
            error = "module " + module + " has no function \"" + function + "\" (it has "
                    + String.join(", ", evals.get(module).functions()) + ")";
        } else {
            error = run(evals.get(module), function, input, r);
        }
        if (error != null) {
            r.clear();
            r.put("id", message.get("id").longValue());
            r.put("success", false);
            r.put("error", error);
            log.println("adjoint-gradbench: " + module + "." + function + ": " + error);
        }
    }

    /** Prepares, warms up and times one call; fills in {@code r} and returns null, or returns what went wrong. */
    private String run(Eval eval, String function, JsonNode input, Map<String, Object> r) {
        Eval.Call call;
        long minRuns = 1;
        double minSeconds = 0;
        boolean timed = input.isObject() && input.has("min_runs");
        try {
            if (timed) {
                minRuns = Input.integerField(input, "min_runs", 0, Integer.MAX_VALUE);
                minSeconds = Input.numberField(input, "min_seconds");
            }
            call = eval.prepare(function, input);
        } catch (BadInput e) {
            return "bad input: " + e.getMessage();
        }
        List<Map<String, Object>> timings = new ArrayList<>();
        Object output;
        try {
            if (timed && settings.warmupRuns() > 0 && settings.warmupSeconds() > 0) {
                // reported as one "warmup" timing, the sum of the warm-up runs (up to 100,000 entries would make
                // the answer a line of megabytes); how many there were goes to stderr
                long budget = (long) (settings.warmupSeconds() * 1e9);
                long spent = 0;
                int w = 0;
                for (; w < settings.warmupRuns() && spent < budget; w++) {
                    long t0 = System.nanoTime();
                    call.run();
                    spent += System.nanoTime() - t0;
                }
                timings.add(timing("warmup", spent));
                log.println("adjoint-gradbench: " + eval.module() + "." + function + ": " + w + " warm-up runs, "
                        + spent / 1_000_000 + " ms");
            }
            long total = 0;
            long runs = 0;
            do {
                long t0 = System.nanoTime();
                output = call.run();
                long t = System.nanoTime() - t0;
                total += t;
                runs++;
                timings.add(timing("evaluate", t));
            } while (runs < minRuns || total < minSeconds * 1e9);
        } catch (StackOverflowError e) {
            return "the computation overflowed the stack (run java with a larger -Xss)";
        } catch (OutOfMemoryError e) {
            return "the computation ran out of memory (run java with a larger -Xmx)";
        } catch (RuntimeException e) {
            return "the computation failed: " + e;
        }
        try {
            Output.check(output, "output");
        } catch (Output.NonFinite e) {
            return e.getMessage();
        }
        r.put("success", true);
        r.put("output", output);
        r.put("timings", timings);
        return null;
    }

    private static Map<String, Object> timing(String name, long nanoseconds) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", name);
        t.put("nanoseconds", Math.max(0, nanoseconds));
        return t;
    }

    private void write(OutputStream out, Map<String, Object> response) throws IOException {
        try (JsonGenerator g = factory.createGenerator(out)) {
            Output.write(g, response);
        }
        out.write('\n');
        out.flush();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
