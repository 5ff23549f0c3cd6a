package dev.adjoint.processor.parse;

import dev.adjoint.processor.diagnostics.DiagnosticId;
import dev.adjoint.processor.diagnostics.Diagnostics;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Pos;
import dev.adjoint.processor.ir.Ty;
import dev.adjoint.processor.rules.CalleeRules;
import dev.adjoint.processor.rules.Registry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;

/**
 * The user's custom derivative rules: methods annotated {@code @Pushforward} or {@code @Pullback}, each linked to the
 * static method whose derivative it gives. Each is checked against its method's signature (ADJ036 at the rule when it
 * does not match) and becomes a registry entry, so that a call of the method is a primitive like {@code Math.exp}:
 * its rule's shares are calls of the user's rules ({@link CalleeRules} says how each mode uses them).
 */
public final class CustomRules {
    /** The annotation of a forward rule. */
    public static final String PUSHFORWARD = "dev.adjoint.Pushforward";
    /** The annotation of a reverse rule. */
    public static final String PULLBACK = "dev.adjoint.Pullback";

    private record Found(ExecutableElement target, ExecutableElement pushforward, ExecutableElement pullback,
            Diagnostics diags) {}

    /** The methods with array parameters reported for having only one of their two rules. */
    private final java.util.Set<ExecutableElement> incomplete = new java.util.HashSet<>();

    private final Map<ExecutableElement, Found> found = new LinkedHashMap<>();

    /**
     * Checks one annotated rule method and records it.
     *
     * @param rule        the annotated method
     * @param forward     whether it is a pushforward (else a pullback)
     * @param diagnostics where an error for that method goes
     */
    public void add(Element rule, boolean forward, Function<Element, Diagnostics> diagnostics) {
        Diagnostics diags = diagnostics.apply(rule);
        Pos at = Pos.NONE;
        String kind = forward ? "pushforward" : "pullback";
        if (rule.getKind() != ElementKind.METHOD) {
            return; // javac rejects the annotation elsewhere (its target is METHOD)
        }
        ExecutableElement r = (ExecutableElement) rule;
        AnnotationMirror mirror = mirror(r, forward ? PUSHFORWARD : PULLBACK);
        TypeElement owner = mirror == null ? null : ownerOf(mirror);
        String name = mirror == null ? null : methodOf(mirror);
        if (owner == null || name == null) {
            return; // javac reports a missing or unresolved attribute
        }
        String ruleName = r.getEnclosingElement().getSimpleName() + "." + r.getSimpleName();
        if (!r.getModifiers().contains(Modifier.STATIC) || r.getModifiers().contains(Modifier.PRIVATE)) {
            diags.error(DiagnosticId.ADJ036, at, "the " + kind + " " + ruleName + " is "
                    + (r.getModifiers().contains(Modifier.PRIVATE) ? "private" : "not static"),
                    "make it a static method that is not private: the generated class calls it");
            return;
        }
        List<ExecutableElement> candidates = new ArrayList<>();
        for (Element e : owner.getEnclosedElements()) {
            if (e.getKind() == ElementKind.METHOD && e.getSimpleName().contentEquals(name)) {
                candidates.add((ExecutableElement) e);
            }
        }
        String target = TypeResolver.canonicalName(owner) + "." + name;
        if (candidates.isEmpty()) {
            diags.error(DiagnosticId.ADJ036, at, "the " + kind + " " + ruleName + " is for " + target
                    + ", which does not exist", "name a static method of " + TypeResolver.canonicalName(owner));
            return;
        }
        List<Ty> ruleParams = types(r);
        ExecutableElement matched = null;
        String expected = null;
        for (ExecutableElement c : candidates) {
            List<Ty> params = types(c);
            int doubles = (int) params.stream().filter(t -> t == Ty.DOUBLE).count();
            int differentiable = (int) params.stream().filter(t -> t != null && Registry.differentiable(t)).count();
            boolean arrays = differentiable > doubles;
            List<Ty> wanted = new ArrayList<>(params);
            if (!forward) {
                wanted.add(Ty.DOUBLE);
            }
            for (Ty t : params) {
                if (t != null && Registry.differentiable(t) && (forward || t.isArray())) {
                    wanted.add(t);
                }
            }
            // null: void, a pullback of a method whose only differentiable parameters are arrays
            Ty result = forward || doubles == 1 ? Ty.DOUBLE : doubles == 0 ? null : Ty.DOUBLE_ARRAY;
            String signature = "static " + (result == null ? "void" : result.java()) + " " + r.getSimpleName() + "("
                    + String.join(", ", wanted.stream().map(t -> t == null ? "?" : t.java()).toList()) + ")";
            boolean supported = c.getModifiers().contains(Modifier.STATIC) && !params.contains(null)
                    && differentiable > 0 && TypeResolver.ty(c.getReturnType()) == Ty.DOUBLE;
            Ty returned = r.getReturnType().getKind() == javax.lang.model.type.TypeKind.VOID ? null
                    : TypeResolver.ty(r.getReturnType());
            boolean voidOk = result != null || r.getReturnType().getKind() == javax.lang.model.type.TypeKind.VOID;
            if (supported && wanted.equals(ruleParams) && returned == result && voidOk) {
                matched = c;
                break;
            }
            if (supported && expected == null) {
                expected = signature + (forward ? ": the method's parameters, then one tangent per double"
                        + (arrays ? ", double[] and double[][]" : "") + " parameter, returning the tangent of the result"
                        : ": the method's parameters, then the result's adjoint"
                                + (arrays ? ", then one adjoint array per double[] and double[][] parameter, into "
                                        + "which it adds" : "") + (result == null ? ""
                                : ", returning the adjoint of " + (result == Ty.DOUBLE_ARRAY
                                        ? "each double parameter, in order" : "the double parameter")));
            }
        }
        if (matched == null) {
            diags.error(DiagnosticId.ADJ036, at, "the " + kind + " " + ruleName + " matches no overload of "
                    + target + (expected == null ? " that custom rules support (static, returning double, with "
                    + "double, double[] or double[][] parameters and others of type int, long, boolean or int[])"
                    : ""), expected == null ? null : "declare it as " + expected);
            return;
        }
        Found old = found.get(matched);
        ExecutableElement push = forward ? r : old == null ? null : old.pushforward();
        ExecutableElement pull = forward ? old == null ? null : old.pullback() : r;
        if (old != null && (forward ? old.pushforward() : old.pullback()) != null) {
            diags.error(DiagnosticId.ADJ036, at, target + " has two " + kind + "s", "keep one of them");
            return;
        }
        found.put(matched, new Found(matched, push, pull, diags));
    }

    /** @return the registry entries of the rules found, one per method */
    public List<Registry.Entry> entries() {
        List<Registry.Entry> out = new ArrayList<>();
        for (Found f : found.values()) {
            boolean arrays = types(f.target()).stream().anyMatch(Ty::isArray);
            if (arrays && (f.pullback() == null || f.pushforward() == null)) {
                // neither mode can be derived from the other without a call per element
                if (incomplete.add(f.target())) {
                    f.diags().error(DiagnosticId.ADJ036, Pos.NONE, TypeResolver.canonicalName((TypeElement) f.target()
                            .getEnclosingElement()) + "." + f.target().getSimpleName() + " has array parameters and "
                            + "only a " + (f.pullback() == null ? "pushforward" : "pullback"), "declare its "
                            + (f.pullback() == null ? "@Pullback" : "@Pushforward") + " too: with array parameters "
                            + "one mode's rule cannot be derived from the other's");
                }
                continue;
            }
            out.add(entry(f));
        }
        return out;
    }

    private static Registry.Entry entry(Found f) {
        ExecutableElement t = f.target();
        Callee target = new Callee(TypeResolver.canonicalName((TypeElement) t.getEnclosingElement()),
                t.getSimpleName().toString(), types(t), Ty.DOUBLE);
        ExecutableElement first = f.pullback() != null ? f.pullback() : f.pushforward();
        String ruleName = "custom rule " + first.getEnclosingElement().getSimpleName() + "." + first.getSimpleName();
        return CalleeRules.entry(target, f.pullback() == null ? null : callee(f.pullback()),
                f.pushforward() == null ? null : callee(f.pushforward()), ruleName);
    }

    private static Callee callee(ExecutableElement m) {
        return new Callee(TypeResolver.canonicalName((TypeElement) m.getEnclosingElement()),
                m.getSimpleName().toString(), types(m), TypeResolver.ty(m.getReturnType()));
    }

    private static List<Ty> types(ExecutableElement m) {
        List<Ty> out = new ArrayList<>();
        for (var p : m.getParameters()) {
            out.add(TypeResolver.ty(p.asType()));
        }
        return out;
    }

    private static AnnotationMirror mirror(Element e, String annotation) {
        for (AnnotationMirror m : e.getAnnotationMirrors()) {
            if (m.getAnnotationType().asElement() instanceof TypeElement t
                    && t.getQualifiedName().contentEquals(annotation)) {
                return m;
            }
        }
        return null;
    }

    private static TypeElement ownerOf(AnnotationMirror m) {
        AnnotationValue v = value(m, "of");
        if (v != null && v.getValue() instanceof TypeMirror t && t instanceof DeclaredType d
                && d.asElement() instanceof TypeElement te) {
            return te;
        }
        return null;
    }

    private static String methodOf(AnnotationMirror m) {
        AnnotationValue v = value(m, "method");
        return v != null && v.getValue() instanceof String s ? s : null;
    }

    private static AnnotationValue value(AnnotationMirror m, String name) {
        for (var e : m.getElementValues().entrySet()) {
            if (e.getKey().getSimpleName().contentEquals(name)) {
                return e.getValue();
            }
        }
        return null;
    }
}
