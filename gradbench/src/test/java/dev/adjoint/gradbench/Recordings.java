package dev.adjoint.gradbench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** The recorded GradBench sessions in test resources ({@code recordings/README.md}) and GradBench's output rule. */
final class Recordings {
    static final ObjectMapper JSON = new ObjectMapper();

    private Recordings() {
    }

    /** One recorded evaluate: the message's function, input and description, and the reference output. */
    record Call(String module, String function, JsonNode input, String description, JsonNode expected) {
    }

    /** A recording: its start message (without id), module and evaluate calls, in the eval's order. */
    record Recording(String name, JsonNode start, String module, List<Call> calls) {
    }

    static final List<String> NAMES = List.of("hello", "llsq", "lse", "ode", "det", "gmm", "lstm", "ba", "ht",
            "ht-simple");

    static Recording read(String name) {
        try (InputStream raw = Recordings.class.getResourceAsStream("/recordings/" + name + ".jsonl.gz")) {
            if (raw == null) {
                throw new IllegalStateException("no recording " + name + " in test resources");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw),
                    StandardCharsets.UTF_8));
            JsonNode header = JSON.readTree(r.readLine());
            List<Call> calls = new ArrayList<>();
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode w = JSON.readTree(line);
                for (JsonNode c : w.get("calls")) {
                    calls.add(new Call(w.get("module").asText(), c.get("function").asText(), w.get("input"),
                            w.hasNonNull("description") ? w.get("description").asText() : null, c.get("expected")));
                }
            }
            return new Recording(name, header.get("start"), header.get("module").asText(), calls);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The evaluate message for a call, with min_runs and min_seconds overwritten where the input has them. */
    static ObjectNode evaluate(long id, Call c, int minRuns, double minSeconds) {
        ObjectNode m = JSON.createObjectNode();
        m.put("id", id);
        m.put("kind", "evaluate");
        m.put("module", c.module());
        m.put("function", c.function());
        JsonNode input = c.input().deepCopy();
        if (input.isObject() && input.has("min_runs")) {
            ((ObjectNode) input).put("min_runs", minRuns);
            ((ObjectNode) input).put("min_seconds", minSeconds);
        }
        m.set("input", input);
        if (c.description() != null) {
            m.put("description", c.description());
        }
        return m;
    }

    /**
     * The differences between an output and the expected one by GradBench's rule: the same JSON types (an integer may
     * face a float), the same keys, the same lengths, and floats within |a − e| / max(1, |a| + |e|) ≤ 1e-4.
     */
    static List<String> differences(JsonNode actual, JsonNode expected) {
        List<String> out = new ArrayList<>();
        compare(actual, expected, "output", out);
        return out;
    }

    private static void compare(JsonNode a, JsonNode e, String path, List<String> out) {
        if (a.isNumber() && e.isNumber()) {
            double x = a.doubleValue();
            double y = e.doubleValue();
            if (!(Math.abs(x - y) / Math.max(1, Math.abs(x) + Math.abs(y)) <= 1e-4)) {
                out.add(path + ": " + x + " but expected " + y);
            }
        } else if (a.isArray() && e.isArray()) {
            if (a.size() != e.size()) {
                out.add(path + ": " + a.size() + " elements but expected " + e.size());
                return;
            }
            for (int i = 0; i < a.size(); i++) {
                compare(a.get(i), e.get(i), path + "[" + i + "]", out);
            }
        } else if (a.isObject() && e.isObject()) {
            List<String> ak = new ArrayList<>();
            a.fieldNames().forEachRemaining(ak::add);
            List<String> ek = new ArrayList<>();
            e.fieldNames().forEachRemaining(ek::add);
            if (!new java.util.HashSet<>(ak).equals(new java.util.HashSet<>(ek))) {
                out.add(path + ": keys " + ak + " but expected " + ek);
                return;
            }
            for (String k : ek) {
                compare(a.get(k), e.get(k), path + "." + k, out);
            }
        } else if (!a.equals(e)) {
            out.add(path + ": " + a + " but expected " + e);
        }
    }
}
