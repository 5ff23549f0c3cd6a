package dev.adjoint.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real browser for tests: Debian's {@code chromium}, headless, driven over the DevTools protocol (a WebSocket,
 * with the JDK's own client; no driver, no library). It loads a page from disk, reports what the page logged as an
 * error (console errors, uncaught exceptions, resources that failed), evaluates expressions in it, and takes a
 * screenshot.
 */
public final class HeadlessChromium implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final Pattern PAGE_SOCKET = Pattern.compile(
            "\"type\"\\s*:\\s*\"page\"[^}]*?\"webSocketDebuggerUrl\"\\s*:\\s*\"(ws://[^\"]+)\"");

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<String>> replies = new ConcurrentHashMap<>();
    private final List<String> errors = new ArrayList<>();
    private volatile CountDownLatch loaded = new CountDownLatch(1);

    /** @return the browser's executable, or null when none is installed */
    public static Path find() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        return null;
    }

    private HeadlessChromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** Starts the browser with an empty profile of its own and connects to its one page. */
    public static HeadlessChromium start(Path executable) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("adjoint-chromium");
        Process p = new ProcessBuilder(executable.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--hide-scrollbars",
                "--remote-debugging-port=0", "--user-data-dir=" + profile, "--window-size=1280,1600", "about:blank")
                .redirectErrorStream(true).start();
        String browserSocket = null;
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        StringBuilder said = new StringBuilder();
        for (String line; browserSocket == null && System.nanoTime() < deadline && (line = out.readLine()) != null; ) {
            said.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                browserSocket = m.group(1);
            }
        }
        if (browserSocket == null) {
            p.destroyForcibly();
            throw new IOException("chromium did not open its DevTools port:\n" + said);
        }
        // keep draining its output so that it never blocks on a full pipe
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // discarded: what matters is reported over the protocol
                }
            } catch (IOException closed) {
                // the browser has gone
            }
        }, "chromium-output");
        drain.setDaemon(true);
        drain.start();
        URI browser = URI.create(browserSocket);
        HttpClient http = HttpClient.newHttpClient();
        String list = http.send(HttpRequest.newBuilder(URI.create("http://" + browser.getAuthority() + "/json/list"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher page = PAGE_SOCKET.matcher(list);
        if (!page.find()) {
            p.destroyForcibly();
            throw new IOException("chromium has no page to drive: " + list);
        }
        HeadlessChromium[] self = new HeadlessChromium[1];
        Listener listener = new Listener(self);
        WebSocket ws;
        try {
            ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(URI.create(page.group(1)), listener).get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            p.destroyForcibly();
            throw new IOException("cannot connect to chromium's page", e);
        }
        self[0] = new HeadlessChromium(p, profile, ws);
        self[0].call("Runtime.enable", "{}");
        self[0].call("Log.enable", "{}");
        self[0].call("Page.enable", "{}");
        return self[0];
    }

    private static final class Listener implements WebSocket.Listener {
        private final HeadlessChromium[] owner;
        private final StringBuilder partial = new StringBuilder();

        Listener(HeadlessChromium[] owner) {
            this.owner = owner;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String message = partial.toString();
                partial.setLength(0);
                if (owner[0] != null) {
                    owner[0].received(message);
                }
            }
            webSocket.request(1);
            return null;
        }
    }

    private static final Pattern ID = Pattern.compile("^\\{\"id\":(\\d+)");
    private static final Pattern METHOD = Pattern.compile("\"method\":\"([A-Za-z.]+)\"");

    private void received(String message) {
        Matcher id = ID.matcher(message);
        if (id.find()) {
            CompletableFuture<String> reply = replies.remove(Integer.parseInt(id.group(1)));
            if (reply != null) {
                reply.complete(message);
            }
            return;
        }
        Matcher method = METHOD.matcher(message);
        if (!method.find()) {
            return;
        }
        switch (method.group(1)) {
            case "Page.loadEventFired" -> loaded.countDown();
            case "Runtime.exceptionThrown" -> addError(message);
            case "Runtime.consoleAPICalled" -> {
                if (message.contains("\"type\":\"error\"") || message.contains("\"type\":\"assert\"")) {
                    addError(message);
                }
            }
            case "Log.entryAdded" -> {
                if (message.contains("\"level\":\"error\"")) {
                    addError(message);
                }
            }
            default -> {
                // other events do not matter here
            }
        }
    }

    private synchronized void addError(String message) {
        errors.add(message);
    }

    /** @return the errors the page reported so far, as the protocol's messages */
    public synchronized List<String> errors() {
        return List.copyOf(errors);
    }

    private String call(String method, String params) {
        int id = ids.incrementAndGet();
        CompletableFuture<String> reply = new CompletableFuture<>();
        replies.put(id, reply);
        socket.sendText("{\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}", true);
        try {
            String r = reply.get(30, TimeUnit.SECONDS);
            if (r.contains("\"error\":{")) {
                throw new IllegalStateException(method + " failed: " + r);
            }
            return r;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(method + " got no answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " interrupted", e);
        }
    }

    /** Loads a file and waits for its load event. */
    public void load(Path file) throws InterruptedException {
        loaded = new CountDownLatch(1);
        call("Page.navigate", "{\"url\":\"" + file.toAbsolutePath().toUri() + "\"}");
        if (!loaded.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the page did not finish loading: " + file);
        }
    }

    /** @return the value of a JavaScript expression that gives a number, evaluated in the page */
    public double evaluateNumber(String expression) {
        String r = call("Runtime.evaluate", "{\"expression\":" + quote(expression) + ",\"returnByValue\":true}");
        Matcher m = Pattern.compile("\"value\":(-?[0-9.eE+-]+)").matcher(r);
        if (!m.find()) {
            throw new IllegalStateException("not a number: " + r);
        }
        return Double.parseDouble(m.group(1));
    }

    /** Saves a screenshot of the whole page as PNG. */
    public void screenshot(Path png) throws IOException {
        String r = call("Page.captureScreenshot", "{\"format\":\"png\",\"captureBeyondViewport\":true}");
        Matcher m = Pattern.compile("\"data\":\"([A-Za-z0-9+/=]+)\"").matcher(r);
        if (!m.find()) {
            throw new IllegalStateException("no screenshot: " + r.substring(0, Math.min(200, r.length())));
        }
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.write(png, Base64.getDecoder().decode(m.group(1)));
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        } catch (RuntimeException alreadyClosed) {
            // fine
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind
        }
    }
}
