package dev.adjoint.processor.ir;

import java.util.HashSet;
import java.util.Set;

/**
 * Hygienic names for everything the generator introduces. Seeded with every identifier of the user's method, it
 * hands out a requested name, with {@code _} appended until the name is new, and remembers it. The user's own
 * names are never changed, so they can never be shadowed.
 */
public final class Names {
    private final Set<String> taken = new HashSet<>();

    /** @return an independent copy: the same names taken */
    public Names copy() {
        Names n = new Names();
        n.taken.addAll(taken);
        return n;
    }

    /** Reserves a name that must not be handed out (a user identifier). */
    public void reserve(String name) {
        taken.add(name);
    }


    /**
     * @param base the wanted name
     * @return {@code base}, or {@code base} followed by as many {@code _} as make it new; reserved from now on
     */
    public String fresh(String base) {
        String name = base;
        while (javax.lang.model.SourceVersion.isKeyword(name) || !taken.add(name)) {
            name = name + "_";
        }
        return name;
    }

    /** Collects every identifier a method's IR mentions, so generated names avoid them all. */
    public static Names of(MethodIR method) {
        Names names = new Names();
        for (Sym p : method.params()) {
            names.reserve(p.name());
        }
        IrWalker.forEachSym(method.body(), s -> names.reserve(s.name()));
        IrWalker.forEachExpr(method.body(), e -> {
            if (e instanceof Expr.StaticField f) {
                names.reserve(f.name());
                names.reserve(simpleName(f.owner()));
                names.reserve(topName(f.owner()));
            } else if (e instanceof Expr.Call c) {
                names.reserve(c.name());
                names.reserve(simpleName(c.owner()));
                names.reserve(topName(c.owner()));
            }
        });
        names.reserve("Math");
        names.reserve("StrictMath");
        return names;
    }

    private static String simpleName(String qualified) {
        return qualified.substring(qualified.lastIndexOf('.') + 1);
    }

    private static String topName(String qualified) {
        int dot = qualified.indexOf('.');
        return dot < 0 ? qualified : qualified.substring(0, dot);
    }
}
