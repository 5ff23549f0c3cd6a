package dev.adjoint.testing;

import dev.adjoint.processor.AdjointProcessor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import javax.annotation.processing.Completion;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * A test-only processor that hands {@link AdjointProcessor} a wrapped {@link ProcessingEnvironment}, as build tools
 * and IDEs do, and otherwise delegates to it.
 */
public final class WrappingProcessor implements Processor {
    private final Processor delegate = new AdjointProcessor();
    private final UnaryOperator<ProcessingEnvironment> wrap;
    /** The environment AdjointProcessor got, for assertions. */
    public volatile ProcessingEnvironment given;

    /** @param wrap makes the environment the processor sees from javac's */
    public WrappingProcessor(UnaryOperator<ProcessingEnvironment> wrap) {
        this.wrap = wrap;
    }

    @Override
    public Set<String> getSupportedOptions() {
        return delegate.getSupportedOptions();
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return delegate.getSupportedAnnotationTypes();
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return delegate.getSupportedSourceVersion();
    }

    @Override
    public void init(ProcessingEnvironment env) {
        given = wrap.apply(env);
        delegate.init(given);
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        return delegate.process(annotations, round);
    }

    @Override
    public Iterable<? extends Completion> getCompletions(Element element, AnnotationMirror annotation,
            ExecutableElement member, String userText) {
        return delegate.getCompletions(element, annotation, member, userText);
    }

    /** Like Gradle's {@code IncrementalProcessingEnvironment}: a class with a {@code delegate} field. */
    public static ProcessingEnvironment gradleStyle(ProcessingEnvironment env) {
        return new DelegatingEnvironment(env);
    }

    /** Like IntelliJ's wrappers: a {@link Proxy} whose handler forwards to the real environment. */
    public static ProcessingEnvironment proxy(ProcessingEnvironment env) {
        return (ProcessingEnvironment) Proxy.newProxyInstance(WrappingProcessor.class.getClassLoader(),
                new Class<?>[] {ProcessingEnvironment.class}, new ForwardingHandler(env));
    }

    /** A wrapper around a wrapper: Gradle's inside a proxy. */
    public static ProcessingEnvironment twice(ProcessingEnvironment env) {
        return proxy(gradleStyle(env));
    }

    /**
     * A wrapper that hides its delegate (behind a {@link Supplier}), so nothing can unwrap it: as if the compiler
     * were not javac (Eclipse's compiler, say).
     */
    public static ProcessingEnvironment opaque(ProcessingEnvironment env) {
        return new OpaqueEnvironment(() -> env);
    }

    /** Like Gradle's incremental environment: a field holds javac's, and every call goes to it. */
    public static class DelegatingEnvironment implements ProcessingEnvironment {
        private final ProcessingEnvironment delegate;

        /** @param delegate the environment every call goes to */
        public DelegatingEnvironment(ProcessingEnvironment delegate) {
            this.delegate = delegate;
        }

        @Override
        public Map<String, String> getOptions() {
            return delegate.getOptions();
        }

        @Override
        public Messager getMessager() {
            return delegate.getMessager();
        }

        @Override
        public Filer getFiler() {
            return delegate.getFiler();
        }

        @Override
        public Elements getElementUtils() {
            return delegate.getElementUtils();
        }

        @Override
        public Types getTypeUtils() {
            return delegate.getTypeUtils();
        }

        @Override
        public SourceVersion getSourceVersion() {
            return delegate.getSourceVersion();
        }

        @Override
        public Locale getLocale() {
            return delegate.getLocale();
        }
    }

    public static final class OpaqueEnvironment implements ProcessingEnvironment {
        private final Supplier<ProcessingEnvironment> hidden;

        OpaqueEnvironment(Supplier<ProcessingEnvironment> hidden) {
            this.hidden = hidden;
        }

        @Override
        public Map<String, String> getOptions() {
            return hidden.get().getOptions();
        }

        @Override
        public Messager getMessager() {
            return hidden.get().getMessager();
        }

        @Override
        public Filer getFiler() {
            return hidden.get().getFiler();
        }

        @Override
        public Elements getElementUtils() {
            return hidden.get().getElementUtils();
        }

        @Override
        public Types getTypeUtils() {
            return hidden.get().getTypeUtils();
        }

        @Override
        public SourceVersion getSourceVersion() {
            return hidden.get().getSourceVersion();
        }

        @Override
        public Locale getLocale() {
            return hidden.get().getLocale();
        }
    }

    /** Holds its target as a plain {@code Object}, as generic forwarding handlers do. */
    static final class ForwardingHandler implements InvocationHandler {
        private final Object target;

        ForwardingHandler(Object target) {
            this.target = target;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                switch (method.getName()) {
                    case "equals":
                        return proxy == args[0];
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    case "toString":
                        return "Proxy(" + target + ")";
                    default:
                        break;
                }
            }
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
