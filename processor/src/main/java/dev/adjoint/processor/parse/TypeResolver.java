package dev.adjoint.processor.parse;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ImportTree;
import dev.adjoint.processor.ir.Ty;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Resolves the names a method body uses to program elements, the way javac would, without attribution: type names
 * through the enclosing classes, the compilation unit's imports, its package and {@code java.lang}; fields and
 * methods through the enclosing classes and static imports.
 */
final class TypeResolver {
    private final Elements elements;
    private final TypeElement owner;
    private final String packageName;
    private final List<String> singleTypeImports = new ArrayList<>();
    private final List<String> onDemandImports = new ArrayList<>();
    private final List<String[]> singleStaticImports = new ArrayList<>();
    private final List<String> onDemandStaticImports = new ArrayList<>();

    /**
     * @param elements javac's elements
     * @param unit     the compilation unit, for its imports
     * @param owner    the class declaring the method
     */
    TypeResolver(Elements elements, CompilationUnitTree unit, TypeElement owner) {
        this.elements = elements;
        this.owner = owner;
        PackageElement pkg = elements.getPackageOf(owner);
        this.packageName = pkg == null || pkg.isUnnamed() ? "" : pkg.getQualifiedName().toString();
        if (unit != null) {
            for (ImportTree imp : unit.getImports()) {
                String name = imp.getQualifiedIdentifier().toString();
                int dot = name.lastIndexOf('.');
                if (dot < 0) {
                    continue;
                }
                String prefix = name.substring(0, dot);
                String last = name.substring(dot + 1);
                if (imp.isStatic()) {
                    if (last.equals("*")) {
                        onDemandStaticImports.add(prefix);
                    } else {
                        singleStaticImports.add(new String[] {prefix, last});
                    }
                } else if (last.equals("*")) {
                    onDemandImports.add(prefix);
                } else {
                    singleTypeImports.add(name);
                }
            }
        }
    }

    /** @return the class declaring the method */
    TypeElement owner() {
        return owner;
    }

    /**
     * Resolves a simple type name as JLS 6.5.5.1 does: enclosing classes and their member types, single-type
     * imports, the package, on-demand imports and {@code java.lang}.
     *
     * @return the type, or null when there is none
     */
    TypeElement type(String simpleName) {
        for (TypeElement t = owner; t != null; t = enclosingType(t)) {
            if (t.getSimpleName().contentEquals(simpleName)) {
                return t;
            }
            TypeElement member = memberType(t, simpleName);
            if (member != null) {
                return member;
            }
        }
        for (String imp : singleTypeImports) {
            if (imp.endsWith("." + simpleName)) {
                TypeElement t = elements.getTypeElement(imp);
                if (t != null) {
                    return t;
                }
            }
        }
        TypeElement inPackage = elements.getTypeElement(qualify(packageName, simpleName));
        if (inPackage != null) {
            return inPackage;
        }
        for (String imp : onDemandImports) {
            TypeElement t = elements.getTypeElement(imp + "." + simpleName);
            if (t != null) {
                return t;
            }
        }
        return elements.getTypeElement("java.lang." + simpleName);
    }

    /** @return the type of that canonical name, or null */
    /** @return the binary name of a type, {@code p.Outer$Inner} */
    String binaryName(TypeElement t) {
        return elements.getBinaryName(t).toString();
    }

    TypeElement typeNamed(String canonicalName) {
        return elements.getTypeElement(canonicalName);
    }

    /** @return the member type {@code name} of {@code t} (declared or inherited), or null */
    TypeElement memberType(TypeElement t, String name) {
        for (TypeElement m : ElementFilter.typesIn(elements.getAllMembers(t))) {
            if (m.getSimpleName().contentEquals(name)) {
                return m;
            }
        }
        return null;
    }

    /** @return the field {@code name} of {@code t} (declared or inherited), or null */
    VariableElement field(TypeElement t, String name) {
        for (VariableElement f : ElementFilter.fieldsIn(elements.getAllMembers(t))) {
            if (f.getSimpleName().contentEquals(name)) {
                return f;
            }
        }
        return null;
    }

    /** @return the methods called {@code name} of {@code t} (declared or inherited) */
    List<ExecutableElement> methods(TypeElement t, String name) {
        List<ExecutableElement> result = new ArrayList<>();
        for (ExecutableElement m : ElementFilter.methodsIn(elements.getAllMembers(t))) {
            if (m.getSimpleName().contentEquals(name)) {
                result.add(m);
            }
        }
        return result;
    }

    /**
     * A simple name that is not a local: a field of the innermost enclosing class that has one, else a statically
     * imported field.
     *
     * @return the field, or null
     */
    VariableElement fieldInScope(String name) {
        for (TypeElement t = owner; t != null; t = enclosingType(t)) {
            VariableElement f = field(t, name);
            if (f != null) {
                return f;
            }
        }
        for (String[] imp : singleStaticImports) {
            if (imp[1].equals(name)) {
                TypeElement t = elements.getTypeElement(imp[0]);
                VariableElement f = t == null ? null : field(t, name);
                if (f != null) {
                    return f;
                }
            }
        }
        for (String imp : onDemandStaticImports) {
            TypeElement t = elements.getTypeElement(imp);
            VariableElement f = t == null ? null : field(t, name);
            if (f != null && f.getModifiers().contains(Modifier.STATIC)) {
                return f;
            }
        }
        return null;
    }

    /**
     * The methods an unqualified call {@code name(...)} can mean (JLS 15.12.1): those of the innermost enclosing
     * class that has a method of that name, else the statically imported ones.
     *
     * @return the candidates, empty when there are none
     */
    List<ExecutableElement> methodsInScope(String name) {
        for (TypeElement t = owner; t != null; t = enclosingType(t)) {
            List<ExecutableElement> found = methods(t, name);
            if (!found.isEmpty()) {
                return found;
            }
        }
        List<ExecutableElement> result = new ArrayList<>();
        for (String[] imp : singleStaticImports) {
            if (imp[1].equals(name)) {
                addStatic(result, elements.getTypeElement(imp[0]), name);
            }
        }
        if (result.isEmpty()) {
            for (String imp : onDemandStaticImports) {
                addStatic(result, elements.getTypeElement(imp), name);
            }
        }
        return result;
    }

    private void addStatic(List<ExecutableElement> into, TypeElement t, String name) {
        if (t == null) {
            return;
        }
        for (ExecutableElement m : methods(t, name)) {
            if (m.getModifiers().contains(Modifier.STATIC) && !into.contains(m)) {
                into.add(m);
            }
        }
    }

    /** @return whether some class's name could start with {@code name} as a package prefix */
    boolean isPackage(String name) {
        return elements.getPackageElement(name) != null;
    }

    /** @return the canonical name of a type, e.g. {@code p.Outer.Inner} */
    static String canonicalName(TypeElement t) {
        return t.getQualifiedName().toString();
    }

    /** @return the class that declares a member */
    static TypeElement declaringType(Element member) {
        Element e = member.getEnclosingElement();
        return e instanceof TypeElement t ? t : null;
    }

    /** @return the supported type of a type mirror, or null when it is not one */
    static Ty ty(TypeMirror m) {
        switch (m.getKind()) {
            case DOUBLE:
                return Ty.DOUBLE;
            case INT:
                return Ty.INT;
            case LONG:
                return Ty.LONG;
            case BOOLEAN:
                return Ty.BOOLEAN;
            case ARRAY:
                TypeMirror component = ((ArrayType) m).getComponentType();
                if (component.getKind() == TypeKind.DOUBLE) {
                    return Ty.DOUBLE_ARRAY;
                }
                if (component.getKind() == TypeKind.INT) {
                    return Ty.INT_ARRAY;
                }
                if (component.getKind() == TypeKind.ARRAY
                        && ((ArrayType) component).getComponentType().getKind() == TypeKind.DOUBLE) {
                    return Ty.DOUBLE_MATRIX;
                }
                return null;
            default:
                return null;
        }
    }

    /** @return whether a type mirror is {@code java.lang.String} */
    static boolean isString(TypeMirror m) {
        return m.getKind() == TypeKind.DECLARED && m.toString().equals("java.lang.String");
    }

    private static TypeElement enclosingType(TypeElement t) {
        Element e = t.getEnclosingElement();
        while (e != null && !(e instanceof TypeElement)) {
            if (e.getKind() == ElementKind.PACKAGE || e.getKind() == ElementKind.MODULE) {
                return null;
            }
            e = e.getEnclosingElement();
        }
        return (TypeElement) e;
    }

    private static String qualify(String pkg, String name) {
        return pkg.isEmpty() ? name : pkg + "." + name;
    }
}
