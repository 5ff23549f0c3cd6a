package dev.adjoint.gradbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The protocol, and bad input answered rather than crashed on: each case is a few lines of messages given to the
 * tool, and the lines it answers with.
 */
class ProtocolTest {

    /** What the tool wrote for a session: one parsed answer per stdout line, the log, the exit status. */
    record Session(List<JsonNode> answers, String log, int status) {
        JsonNode answer(long id) {
            for (JsonNode a : answers) {
                if (a.get("id").asLong() == id) {
                    return a;
                }
            }
            throw new AssertionError("no answer with id " + id + " in " + answers);
        }
    }

    static Session serve(Tool.Settings settings, String... lines) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int status = new Tool(Evals.all(), settings, new PrintStream(log, true, StandardCharsets.UTF_8))
                .serve(new ByteArrayInputStream((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8)),
                        out);
        List<JsonNode> answers = new ArrayList<>();
        for (String l : out.toString(StandardCharsets.UTF_8).split("\n", -1)) {
            if (!l.isEmpty()) {
                // every stdout line must be one JSON object
                answers.add(Recordings.JSON.readTree(l));
            }
        }
        assertTrue(out.toString(StandardCharsets.UTF_8).isEmpty() || out.toString(StandardCharsets.UTF_8).endsWith("\n"));
        return new Session(answers, log.toString(StandardCharsets.UTF_8), status);
    }

    static Session serve(String... lines) throws IOException {
        return serve(new Tool.Settings(0, 0), lines);
    }

    static void assertFails(JsonNode answer, String... phrases) {
        assertFalse(answer.get("success").asBoolean(), answer::toString);
        assertFalse(answer.has("output"), answer::toString);
        String error = answer.get("error").asText();
        for (String p : phrases) {
            assertTrue(error.contains(p), () -> "\"" + p + "\" not in: " + error);
        }
    }

    @Test
    void startDefineAndUnknownKindsAreAnswered() throws IOException {
        Session s = serve("{\"id\":0,\"kind\":\"start\",\"eval\":\"det\"}",
                "{\"id\":1,\"kind\":\"define\",\"module\":\"det\"}",
                "{\"id\":2,\"kind\":\"something-new\"}",
                "{\"id\":3,\"kind\":\"analysis\",\"of\":2,\"valid\":false,\"error\":\"wrong\"}");
        assertEquals(4, s.answers().size());
        assertEquals("adjoint", s.answer(0).get("tool").asText());
        assertTrue(s.answer(1).get("success").asBoolean());
        assertEquals(1, s.answer(2).size(), "an unknown kind gets its id alone");
        assertEquals(1, s.answer(3).size());
        assertTrue(s.log().contains("wrong"), "an invalid analysis is logged: " + s.log());
        assertEquals(0, s.status());
    }

    @Test
    void unknownModulesAndSecondOrderOnesFailToDefineCleanly() throws IOException {
        Session s = serve("{\"id\":1,\"kind\":\"define\",\"module\":\"nosuch\"}",
                "{\"id\":2,\"kind\":\"define\",\"module\":\"kmeans\"}",
                "{\"id\":3,\"kind\":\"define\",\"module\":\"particle\"}",
                "{\"id\":4,\"kind\":\"define\",\"module\":\"saddle\"}",
                "{\"id\":5,\"kind\":\"define\"}");
        assertFails(s.answer(1), "nosuch", "not implemented", "det");
        assertFails(s.answer(2), "kmeans", "not supported yet", "second-order");
        assertFails(s.answer(3), "particle", "not supported yet");
        assertFails(s.answer(4), "saddle", "not supported yet");
        assertFails(s.answer(5), "module");
    }

    @Test
    void badEvaluatesGetSuccessFalseAndTheNextMessageIsStillServed() throws IOException {
        Session s = serve(
                "{\"id\":2,\"kind\":\"evaluate\",\"module\":\"det\",\"function\":\"hessian\",\"input\":{}}",
                "{\"id\":3,\"kind\":\"evaluate\",\"module\":\"det\",\"function\":\"primal\","
                        + "\"input\":{\"A\":[1,2,3],\"ell\":2,\"min_runs\":1,\"min_seconds\":0}}",
                "{\"id\":4,\"kind\":\"evaluate\",\"module\":\"llsq\",\"function\":\"primal\","
                        + "\"input\":{\"n\":4,\"min_runs\":1,\"min_seconds\":0}}",
                "{\"id\":5,\"kind\":\"evaluate\",\"module\":\"llsq\",\"function\":\"gradient\","
                        + "\"input\":{\"x\":[1,\"two\"],\"n\":4,\"min_runs\":1,\"min_seconds\":0}}",
                "{\"id\":6,\"kind\":\"evaluate\",\"module\":\"lse\",\"function\":\"gradient\","
                        + "\"input\":{\"x\":[1,NaN],\"min_runs\":1,\"min_seconds\":0}}",
                "{\"id\":7,\"kind\":\"evaluate\",\"module\":\"lse\",\"function\":\"primal\","
                        + "\"input\":{\"x\":[1,1e400],\"min_runs\":1,\"min_seconds\":0}}",
                "{\"id\":8,\"kind\":\"evaluate\",\"module\":\"ode\",\"function\":\"primal\","
                        + "\"input\":{\"x\":[1,2],\"s\":0,\"min_runs\":1,\"min_seconds\":0}}",
                "{\"id\":9,\"kind\":\"evaluate\",\"module\":\"det\",\"function\":\"primal\","
                        + "\"input\":[1,2,3]}",
                "{\"id\":10,\"kind\":\"evaluate\",\"module\":\"det\",\"function\":\"primal\"}",
                "{\"id\":11,\"kind\":\"evaluate\",\"module\":\"llsq\",\"function\":\"primal\","
                        + "\"input\":{\"x\":[1e200,1e200],\"n\":4,\"min_runs\":1,\"min_seconds\":0}}",
                "{\"id\":12,\"kind\":\"evaluate\",\"module\":\"det\",\"function\":\"primal\","
                        + "\"input\":{\"A\":[1,2,3,4],\"ell\":2,\"min_runs\":1,\"min_seconds\":0}}");
        assertFails(s.answer(2), "no function \"hessian\"", "primal, gradient");
        assertFails(s.answer(3), "input.A must have 4 elements, not 3");
        assertFails(s.answer(4), "input.x is missing");
        assertFails(s.answer(5), "input.x[1] must be a number");
        assertFails(s.answer(6), "input.x[1] is not a finite number");
        assertFails(s.answer(7), "input.x[1] is not a finite number");
        assertFails(s.answer(8), "input.s must be an integer from 1");
        assertFails(s.answer(9), "input must be a JSON object");
        assertFails(s.answer(10), "needs", "\"input\"");
        assertFails(s.answer(11), "output", "Infinity", "JSON cannot carry");
        // and the tool carries on
        assertTrue(s.answer(12).get("success").asBoolean());
        assertEquals(-2.0, s.answer(12).get("output").asDouble(), 1e-15);
        assertEquals(0, s.status());
    }

    @Test
    void runsUntilBothMinRunsAndMinSecondsAreMetAfterAReportedWarmUp() throws IOException {
        Session s = serve(new Tool.Settings(0.02, 5),
                "{\"id\":2,\"kind\":\"evaluate\",\"module\":\"det\",\"function\":\"gradient\","
                        + "\"input\":{\"A\":[1,2,3,4],\"ell\":2,\"min_runs\":7,\"min_seconds\":0}}",
                "{\"id\":3,\"kind\":\"evaluate\",\"module\":\"det\",\"function\":\"gradient\","
                        + "\"input\":{\"A\":[1,2,3,4],\"ell\":2,\"min_runs\":1,\"min_seconds\":0.05}}",
                "{\"id\":4,\"kind\":\"evaluate\",\"module\":\"hello\",\"function\":\"square\",\"input\":3}");
        JsonNode a = s.answer(2);
        // d det / dA = [[d, -c], [-b, a]] for [[a, b], [c, d]]
        assertEquals(List.of(4.0, -3.0, -2.0, 1.0), doubles(a.get("output")));
        List<String> names = new ArrayList<>();
        a.get("timings").forEach(t -> names.add(t.get("name").asText()));
        // one warmup timing (the sum of the warm-up runs), first, then one per timed run
        assertEquals("warmup", names.get(0), names::toString);
        assertEquals(List.of("warmup", "evaluate", "evaluate", "evaluate", "evaluate", "evaluate", "evaluate",
                "evaluate"), names);
        assertTrue(s.log().contains("det.gradient: 5 warm-up runs"), s.log());

        long total = 0;
        for (JsonNode t : s.answer(3).get("timings")) {
            if (t.get("name").asText().equals("evaluate")) {
                total += t.get("nanoseconds").asLong();
            }
        }
        assertTrue(total >= 50_000_000L, "the timed runs add up to min_seconds: " + total + " ns");

        JsonNode hello = s.answer(4);
        assertEquals(9.0, hello.get("output").asDouble());
        assertEquals(1, hello.get("timings").size(), "hello's bare number gets one run and no warm-up");
    }

    @Test
    void aLineThatIsNotJsonStopsTheToolWithAMessageOnStderr() throws IOException {
        Session s = serve("{\"id\":0,\"kind\":\"start\",\"eval\":\"det\"}", "this is not json",
                "{\"id\":1,\"kind\":\"define\",\"module\":\"det\"}");
        assertEquals(1, s.status());
        assertEquals(1, s.answers().size(), "nothing after the bad line");
        assertTrue(s.log().contains("line 2 is not JSON"), s.log());

        Session noId = serve("{\"kind\":\"start\"}");
        assertEquals(1, noId.status());
        assertTrue(noId.answers().isEmpty());
        assertTrue(noId.log().contains("integer id"), noId.log());

        Session trailing = serve("{\"id\":0,\"kind\":\"start\"} {\"id\":1}");
        assertEquals(1, trailing.status(), "two values on a line are not one message");
    }

    @Test
    void theJarsMainStopsWithStatusOneOnALineThatIsNotJson() throws Exception {
        try (ToolProcess tool = new ToolProcess()) {
            JsonNode started = tool.ask(Recordings.JSON.readTree("{\"id\":0,\"kind\":\"start\",\"eval\":\"det\"}"), 60);
            assertEquals(0, started.get("id").asLong());
            tool.sendLine("{not json");
            assertEquals(null, tool.readLine(60));
            assertEquals(1, tool.finish(30));
            assertTrue(tool.stderr().contains("line 2 is not JSON"), tool.stderr());
            assertFalse(tool.stderr().contains("\tat "), "no stack trace: " + tool.stderr());
        }
    }

    private static List<Double> doubles(JsonNode a) {
        List<Double> out = new ArrayList<>();
        a.forEach(v -> out.add(v.asDouble()));
        return out;
    }
}
