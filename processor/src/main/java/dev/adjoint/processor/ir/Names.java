package dev.adjoint.processor.ir;

import java.util.HashSet;
import java.util.List;
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

    /** Reserves every name {@code other} has taken. */
    public void reserveAll(Names other) {
        taken.addAll(other.taken);
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

    /**
     * Collects the names a method's IR mentions besides its variables (classes and constants, as generated code may
     * write them): what a method inlined into another brings in, its variables becoming new ones of the caller.
     */
    public static Names mentionedBy(MethodIR method) {
        Names names = new Names();
        IrWalker.forEachExpr(method.body(), e -> e.accept(MENTIONED).forEach(names::reserve));
        return names;
    }

    /** Collects every identifier a method's IR mentions, so generated names avoid them all. */
    public static Names of(MethodIR method) {
        Names names = new Names();
        for (Sym p : method.params()) {
            names.reserve(p.name());
        }
        if (method.receiver() != null) {
            names.reserve(method.receiver().name());
        }
        IrWalker.forEachSym(method.body(), s -> names.reserve(s.name()));
        IrWalker.forEachExpr(method.body(), e -> e.accept(MENTIONED).forEach(names::reserve));
        names.reserve("Math");
        names.reserve("StrictMath");
        return names;
    }

    /**
     * @return the names a node mentions besides its variables' (declarations are reserved from the symbols): the
     *     owner and name of a constant or a call, as the generated code may write them
     */
    private static final Expr.Visitor<List<String>> MENTIONED = new Expr.Visitor<>() {
        @Override
        public List<String> visitStaticField(Expr.StaticField e) {
            return List.of(e.name(), simpleName(e.owner()), topName(e.owner()));
        }

        @Override
        public List<String> visitCall(Expr.Call e) {
            return List.of(e.name(), simpleName(e.owner()), topName(e.owner()));
        }

        @Override
        public List<String> visitMathCall(Expr.MathCall e) {
            return List.of(); // Math and StrictMath are always reserved
        }

        @Override
        public List<String> visitLit(Expr.Lit e) {
            return List.of();
        }

        @Override
        public List<String> visitVar(Expr.Var e) {
            return List.of();
        }

        @Override
        public List<String> visitArrayLoad(Expr.ArrayLoad e) {
            return List.of();
        }

        @Override
        public List<String> visitLength(Expr.Length e) {
            return List.of();
        }

        @Override
        public List<String> visitUnary(Expr.Unary e) {
            return List.of();
        }

        @Override
        public List<String> visitBinary(Expr.Binary e) {
            return List.of();
        }

        @Override
        public List<String> visitCond(Expr.Cond e) {
            return List.of();
        }

        @Override
        public List<String> visitCast(Expr.Cast e) {
            return List.of();
        }

        @Override
        public List<String> visitNewArray(Expr.NewArray e) {
            return List.of();
        }

        @Override
        public List<String> visitArrayInit(Expr.ArrayInit e) {
            return List.of();
        }

        @Override
        public List<String> visitAssign(Expr.Assign e) {
            return List.of();
        }

        @Override
        public List<String> visitIncDec(Expr.IncDec e) {
            return List.of();
        }

        @Override
        public List<String> visitHole(Expr.Hole e) {
            throw new IllegalStateException("a rule's hole in a method's IR: " + e);
        }

        @Override
        public List<String> visitPop(Expr.Pop e) {
            throw new IllegalStateException("a tape pop in a method's IR: " + e);
        }
    };

    private static String simpleName(String qualified) {
        return qualified.substring(qualified.lastIndexOf('.') + 1);
    }

    private static String topName(String qualified) {
        int dot = qualified.indexOf('.');
        return dot < 0 ? qualified : qualified.substring(0, dot);
    }
}
