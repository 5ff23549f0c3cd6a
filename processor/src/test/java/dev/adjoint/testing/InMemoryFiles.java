package dev.adjoint.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;

/**
 * A file manager over a (shared, pooled) standard one that keeps every output in memory: class files, the sources
 * that annotation processors write through the {@code Filer}, and other resources. Inputs (the class path, the JDK)
 * come from the standard file manager.
 */
final class InMemoryFiles extends ForwardingJavaFileManager<StandardJavaFileManager> {
    private final Map<String, Output> classFiles = new ConcurrentHashMap<>();
    private final Map<String, Output> sources = new ConcurrentHashMap<>();
    private final Map<String, Output> resources = new ConcurrentHashMap<>();

    InMemoryFiles(StandardJavaFileManager standard) {
        super(standard);
    }

    /** A source file in memory, named after its class. */
    static JavaFileObject source(String qualifiedName, String text) {
        return new Input(qualifiedName, text);
    }

    @Override
    public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
            FileObject sibling) {
        Output out = new Output(location, className, kind);
        if (kind == JavaFileObject.Kind.CLASS) {
            classFiles.put(className, out);
        } else if (kind == JavaFileObject.Kind.SOURCE) {
            sources.put(className, out);
        } else {
            resources.put(out.toUri().toString(), out);
        }
        return out;
    }

    @Override
    public FileObject getFileForOutput(Location location, String packageName, String relativeName,
            FileObject sibling) {
        String path = (packageName.isEmpty() ? "" : packageName.replace('.', '/') + "/") + relativeName;
        Output out = new Output(location, path);
        resources.put(path, out);
        return out;
    }

    @Override
    public boolean isSameFile(FileObject a, FileObject b) {
        if (a instanceof Input || a instanceof Output || b instanceof Input || b instanceof Output) {
            return a.toUri().equals(b.toUri());
        }
        return super.isSameFile(a, b);
    }

    @Override
    public String inferBinaryName(Location location, JavaFileObject file) {
        if (file instanceof Input) {
            return ((Input) file).qualifiedName;
        }
        if (file instanceof Output) {
            return ((Output) file).name;
        }
        return super.inferBinaryName(location, file);
    }

    @Override
    public boolean hasLocation(Location location) {
        return location == StandardLocation.SOURCE_OUTPUT || location == StandardLocation.CLASS_OUTPUT
                || super.hasLocation(location);
    }

    @Override
    public void close() {
        // The standard file manager is pooled and outlives this compile.
    }

    /** The generated sources by qualified class name, in name order. */
    Map<String, String> generatedSources() {
        Map<String, String> out = new TreeMap<>();
        sources.forEach((name, file) -> out.put(name, new String(file.bytes(), StandardCharsets.UTF_8)));
        return out;
    }

    /** The other files written, by path. */
    Map<String, String> generatedResources() {
        Map<String, String> out = new TreeMap<>();
        resources.forEach((name, file) -> out.put(name, new String(file.bytes(), StandardCharsets.UTF_8)));
        return out;
    }

    /** The class files by binary name. */
    Map<String, byte[]> classFiles() {
        Map<String, byte[]> out = new TreeMap<>();
        classFiles.forEach((name, file) -> out.put(name, file.bytes()));
        return out;
    }

    private static final class Input extends SimpleJavaFileObject {
        final String qualifiedName;
        private final String text;

        Input(String qualifiedName, String text) {
            super(URI.create("mem:///" + qualifiedName.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.qualifiedName = qualifiedName;
            this.text = text;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }

    private static final class Output extends SimpleJavaFileObject {
        final String name;
        private volatile byte[] bytes = new byte[0];

        Output(Location location, String className, Kind kind) {
            super(URI.create("mem:///" + location.getName() + "/" + className.replace('.', '/') + kind.extension),
                    kind);
            this.name = className;
        }

        Output(Location location, String path) {
            super(URI.create("mem:///" + location.getName() + "/" + path), Kind.OTHER);
            this.name = path;
        }

        byte[] bytes() {
            return bytes;
        }

        @Override
        public OutputStream openOutputStream() {
            return new ByteArrayOutputStream() {
                @Override
                public void close() {
                    bytes = toByteArray();
                }
            };
        }

        @Override
        public Writer openWriter() {
            return new OutputStreamWriter(openOutputStream(), StandardCharsets.UTF_8);
        }

        @Override
        public InputStream openInputStream() {
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
