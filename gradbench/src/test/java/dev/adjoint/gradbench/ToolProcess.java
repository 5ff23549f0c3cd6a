package dev.adjoint.gradbench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The tool as GradBench starts it: a separate JVM running {@link Main} on the module's class path, spoken to through
 * its stdin and stdout; stderr is collected.
 */
final class ToolProcess implements AutoCloseable {
    private final Process process;
    private final OutputStream stdin;
    private final BufferedReader stdout;
    private final StringBuffer stderr = new StringBuffer();
    private final Thread drain;

    ToolProcess(String... jvmOptions) throws IOException {
        String classpath = System.getProperty("gradbench.classpath");
        if (classpath == null) {
            throw new IllegalStateException("gradbench.classpath is not set (the module's pom sets it for surefire)");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", classpath, Main.class.getName()));
        process = new ProcessBuilder(command).start();
        stdin = process.getOutputStream();
        stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8));
        drain = new Thread(() -> {
            try {
                String l;
                while ((l = err.readLine()) != null) {
                    stderr.append(l).append('\n');
                }
            } catch (IOException e) {
                stderr.append("(stderr unreadable: ").append(e).append(")\n");
            }
        });
        drain.setDaemon(true);
        drain.start();
    }

    /** Sends one line (a message, or anything else). */
    void sendLine(String line) throws IOException {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    /** Sends a message and reads the one line that answers it, parsed as JSON (it must be JSON). */
    JsonNode ask(JsonNode message, long timeoutSeconds) throws IOException {
        sendLine(Recordings.JSON.writeValueAsString(message));
        String line = readLine(timeoutSeconds);
        if (line == null) {
            throw new AssertionError("the tool closed stdout instead of answering " + message.path("kind")
                    + "; stderr:\n" + stderr);
        }
        try {
            return Recordings.JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("the tool wrote a line that is not JSON: " + abbreviate(line), e);
        }
    }

    /** The next line of stdout, or null at its end; fails after the timeout. */
    String readLine(long timeoutSeconds) throws IOException {
        CompletableFuture<String> f = CompletableFuture.supplyAsync(() -> {
            try {
                return stdout.readLine();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            return f.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            process.destroyForcibly();
            throw new AssertionError("no answer from the tool within " + timeoutSeconds + " s; stderr:\n" + stderr);
        } catch (InterruptedException | ExecutionException e) {
            throw new IOException(e);
        }
    }

    /** Closes stdin (the end of the eval) and waits for the tool to exit; returns its exit status. */
    int finish(long timeoutSeconds) throws IOException, InterruptedException {
        stdin.close();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the tool did not exit within " + timeoutSeconds + " s of the end of its input");
        }
        drain.join(5000);
        return process.exitValue();
    }

    String stderr() {
        return stderr.toString();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
}
