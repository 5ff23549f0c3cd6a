package dev.adjoint.gradbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Plays the recorded GradBench sessions in test resources to the tool, message by message as the eval does (start,
 * define, then each evaluate followed by an analysis), and checks every answer: the protocol (the id echoed, one JSON
 * line, {@code success}, integer timings with at least one {@code evaluate}) and the output by GradBench's rule
 * against the reference tool's. Inputs run once ({@code min_runs} 1, {@code min_seconds} 0) after a short warm-up, to
 * keep the build fast; docs/GRADBENCH.md gives the command that replays every recording with its own settings.
 */
class ReplayTest {
    static final List<String> RECORDINGS = Recordings.NAMES;

    @ParameterizedTest(name = "{0}")
    @FieldSource("RECORDINGS")
    void everyRecordedAnswerPassesGradBenchsRule(String name) throws Exception {
        Recordings.Recording rec = Recordings.read(name);
        List<String> failures = new ArrayList<>();
        try (ToolProcess tool = new ToolProcess("-Dadjoint.gradbench.warmup.seconds=0.05",
                "-Dadjoint.gradbench.warmup.runs=3")) {
            ObjectNode start = ((ObjectNode) rec.start().deepCopy());
            ObjectNode startMessage = Recordings.JSON.createObjectNode().put("id", 0);
            startMessage.setAll(start);
            JsonNode started = tool.ask(startMessage, 60);
            assertEquals(0, started.get("id").asLong(), started::toString);

            JsonNode defined = tool.ask(Recordings.JSON.createObjectNode().put("id", 1).put("kind", "define")
                    .put("module", rec.module()), 120);
            assertEquals(1, defined.get("id").asLong());
            assertTrue(defined.get("success").asBoolean(), () -> "define " + rec.module() + ": " + defined);

            long id = 2;
            for (Recordings.Call c : rec.calls()) {
                String what = c.function() + (c.description() == null ? "" : " " + c.description());
                JsonNode r = tool.ask(Recordings.evaluate(id, c, 1, 0.0), 300);
                assertEquals(id, r.get("id").asLong(), "the id of the answer to " + what);
                assertTrue(r.get("success").isBoolean(), "success is a boolean");
                if (!r.get("success").asBoolean()) {
                    failures.add(what + ": success:false, " + r.path("error").asText());
                } else {
                    assertNull(r.get("error"), "success:true with an error: " + what);
                    assertTrue(r.has("output"), "success:true without an output: " + what);
                    int evaluates = 0;
                    for (JsonNode t : r.get("timings")) {
                        assertTrue(t.get("name").isTextual() && t.get("nanoseconds").isIntegralNumber()
                                && t.get("nanoseconds").asLong() >= 0, () -> "a bad timing " + t);
                        evaluates += t.get("name").asText().equals("evaluate") ? 1 : 0;
                    }
                    assertTrue(evaluates >= 1, "no evaluate timing: " + what);
                    List<String> diffs = Recordings.differences(r.get("output"), c.expected());
                    if (!diffs.isEmpty()) {
                        failures.add(what + ": " + diffs.size() + " differences, first "
                                + diffs.subList(0, Math.min(5, diffs.size())));
                    }
                }
                JsonNode a = tool.ask(Recordings.JSON.createObjectNode().put("id", id + 1).put("kind", "analysis")
                        .put("of", id).put("valid", true), 60);
                assertEquals(id + 1, a.get("id").asLong());
                id += 2;
            }
            assertEquals(0, tool.finish(30), "exit status; stderr:\n" + tool.stderr());
            assertNull(tool.readLine(10), "stdout carries nothing after the last answer");
            assertTrue(failures.isEmpty(), () -> name + ": " + failures.size() + " of " + rec.calls().size()
                    + " failed:\n" + String.join("\n", failures));
        }
    }
}
