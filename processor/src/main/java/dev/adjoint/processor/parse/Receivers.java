package dev.adjoint.processor.parse;

import static dev.adjoint.processor.diagnostics.DiagnosticId.ADJ037;

import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreeScanner;
import dev.adjoint.processor.ir.Receiver;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.Ty;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;

/**
 * The receiver of an instance method while it is parsed: which of its fields the method reads (each becomes a
 * parameter of the parsed method, bound to {@code receiver.field} by the generated code), their symbols and names.
 */
final class Receivers {
    private final MethodContext ctx;
    private final TypeElement owner;
    /** The names the method declares (parameters and locals): a field's variable must not be one of them. */
    private final Set<String> declared = new HashSet<>();
    private final Set<String> parameterNames = new HashSet<>();
    private final Map<VariableElement, Sym> syms = new LinkedHashMap<>();
    private final String name;
    /** The fields already reported as unreadable. */
    private final Set<VariableElement> rejected = new HashSet<>();

    Receivers(MethodContext ctx, TypeElement owner, MethodTree tree) {
        this.ctx = ctx;
        this.owner = owner;
        for (VariableTree p : tree.getParameters()) {
            declared.add(p.getName().toString());
            parameterNames.add(p.getName().toString());
        }
        if (tree.getBody() != null) {
            new TreeScanner<Void, Void>() {
                @Override
                public Void visitVariable(VariableTree node, Void unused) {
                    declared.add(node.getName().toString());
                    return super.visitVariable(node, unused);
                }
            }.scan(tree.getBody(), null);
        }
        String simple = owner.getSimpleName().toString();
        String base = Character.toLowerCase(simple.charAt(0)) + simple.substring(1);
        if (javax.lang.model.SourceVersion.isKeyword(base) || base.equals(simple)) {
            base = base + "Object";
        }
        this.name = ctx.freshName(base);
    }

    /** @return whether the receiver is a record, whose components are read through their accessors */
    boolean isRecord() {
        return owner.getKind() == ElementKind.RECORD;
    }

    /**
     * @return the instance field {@code name} of the receiver (declared by its class or inherited), or null when it
     *     has none
     */
    VariableElement field(String name) {
        VariableElement f = ctx.resolver.field(owner, name);
        if (f == null || f.getModifiers().contains(Modifier.STATIC)) {
            return null;
        }
        return f;
    }

    /** @return whether {@code name} is a component of the record receiver (so {@code name()} reads it) */
    boolean isComponent(String name) {
        if (!isRecord()) {
            return false;
        }
        for (RecordComponentElement c : owner.getRecordComponents()) {
            if (c.getSimpleName().contentEquals(name)) {
                return true;
            }
        }
        return false;
    }

    /** @return the field's type in the subset, or null */
    static Ty ty(VariableElement field) {
        return TypeResolver.ty(field.asType());
    }

    /**
     * The parameter that stands for a field the method reads or differentiates, created at its first use. Reports
     * ADJ037 (and returns null) when the generated class cannot read it or its type is outside the subset.
     */
    Sym sym(VariableElement field, Tree at) {
        Sym sym = syms.get(field);
        if (sym != null) {
            return sym;
        }
        if (rejected.contains(field)) {
            return null; // reported at its first use: one cause, one error
        }
        rejected.add(field);
        String f = field.getSimpleName().toString();
        Ty ty = ty(field);
        if (ty == null || ty == Ty.TENSOR3) {
            return ctx.error(ADJ037, at, "field " + f + " of type " + field.asType() + " (fields of the object can be "
                    + Signatures.SUPPORTED_TYPES + ")", "declare " + f + " as " + closest(field.asType())
                    + ", or pass the numbers it holds to the method as parameters of those types");
        }
        String here = ctx.accessPackage();
        if (!isComponent(f) && !WayOuts.inaccessible(field, here).isEmpty()) {
            return ctx.error(ADJ037, at, WayOuts.whyInaccessible(field, here) + ": the generated class, a separate "
                    + "class, reads the fields of the object it is given", WayOuts.notAccessible(field, here, "read")
                    + " (declare it " + field.asType() + " " + f + "; without private), or pass its value to the "
                    + "method as a parameter");
        }
        String variable = declared.contains(f) ? ctx.freshName("this" + Character.toUpperCase(f.charAt(0))
                + f.substring(1)) : f;
        rejected.remove(field);
        sym = ctx.newSym(variable, ty, -1);
        syms.put(field, sym);
        return sym;
    }

    private static String closest(TypeMirror t) {
        if (t.getKind() == TypeKind.FLOAT || t.getKind() == TypeKind.DECLARED
                && ((DeclaredType) t).asElement().toString().equals("java.lang.Double")) {
            return "double";
        }
        return "double, double[] or double[][]";
    }

    /** @return the names of the double, double[] and double[][] fields of the receiver, in declaration order */
    List<String> differentiableFields() {
        List<VariableElement> order = new ArrayList<>();
        collect(owner, order, new HashSet<>());
        List<String> out = new ArrayList<>();
        for (VariableElement f : order) {
            Ty ty = ty(f);
            if (ty != null && ty.isFloating() && ty != Ty.TENSOR3) {
                out.add(f.getSimpleName().toString());
            }
        }
        return out;
    }

    /** @return the receiver as the IR carries it, with the fields used, in declaration order */
    Receiver receiver() {
        List<VariableElement> order = new ArrayList<>();
        collect(owner, order, new HashSet<>());
        List<Receiver.Field> fields = new ArrayList<>();
        for (VariableElement f : order) {
            Sym sym = syms.get(f);
            if (sym == null) {
                continue;
            }
            String fname = f.getSimpleName().toString();
            String result = parameterNames.contains(fname) ? sym.name() : fname;
            fields.add(new Receiver.Field(sym, fname, isComponent(fname), result));
        }
        return new Receiver(TypeResolver.canonicalName(owner), ctx.resolver.binaryName(owner), name,
                List.copyOf(fields));
    }

    /** @return the symbols of the fields used, in declaration order (the parsed method's first parameters) */
    List<Sym> params() {
        List<Sym> out = new ArrayList<>();
        receiver().fields().forEach(f -> out.add(f.sym()));
        return out;
    }

    /** Superclasses' fields first, then the class's own, in declaration order. */
    private static void collect(TypeElement t, List<VariableElement> out, Set<Element> seen) {
        if (t == null || !seen.add(t)) {
            return;
        }
        TypeMirror sup = t.getSuperclass();
        if (sup instanceof DeclaredType d && d.asElement() instanceof TypeElement s) {
            collect(s, out, seen);
        }
        for (VariableElement f : ElementFilter.fieldsIn(t.getEnclosedElements())) {
            if (!f.getModifiers().contains(Modifier.STATIC)) {
                out.add(f);
            }
        }
    }
}
