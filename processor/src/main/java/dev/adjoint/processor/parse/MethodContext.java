package dev.adjoint.processor.parse;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.Trees;
import dev.adjoint.processor.diagnostics.DiagnosticId;
import dev.adjoint.processor.diagnostics.Diagnostics;
import dev.adjoint.processor.ir.Pos;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.Ty;
import java.io.IOException;
import javax.lang.model.element.ExecutableElement;

/** The state of parsing one method: its scopes, symbol ids, name resolution and error reporting. */
final class MethodContext {
    private static final int MAX_SHOWN = 60;

    /**
     * The deepest expression accepted (ADJ030): each operator, call or cast one level, each operand of a chain
     * such as {@code a + b + c} one level (later stages recurse along the chain); parentheses do not count.
     */
    static final int MAX_EXPRESSION_DEPTH = 1_200;

    /**
     * The deepest nesting of conditional expressions accepted (ADJ030): the gradient turns each into nested
     * if/else statements, twice, and javac's parser overflows its stack on the generated class beyond about 400.
     */
    static final int MAX_NESTING = 250;

    final ExecutableElement method;
    final TypeResolver resolver;
    private final Diagnostics diags;
    private final Trees trees;
    private final CompilationUnitTree unit;
    private final Tree methodTree;
    private Scope scope = Scope.root();
    private int expressionDepth;
    private int nesting;
    private boolean sawReturn;
    /** Where calls of methods with source in this compilation are recorded, by the callee a call names. */
    private java.util.Map<dev.adjoint.processor.ir.Callee, ExecutableElement> sources = new java.util.HashMap<>();
    private Ty resultType = Ty.DOUBLE;
    private int nextId;
    private CharSequence source;
    private boolean sourceRead;

    MethodContext(ExecutableElement method, Tree methodTree, TypeResolver resolver, Diagnostics diags, Trees trees,
            CompilationUnitTree unit) {
        this.method = method;
        this.methodTree = methodTree;
        this.resolver = resolver;
        this.diags = diags;
        this.trees = trees;
        this.unit = unit;
    }

    private boolean callee;
    private String accessPackage;
    private Receivers receivers;

    /** @return the receiver of an instance method, or null for a static one */
    Receivers receivers() {
        return receivers;
    }

    void receivers(Receivers receivers) {
        this.receivers = receivers;
    }

    /**
     * @return the package the generated code lives in, from which what the method reads and calls must be
     *     accessible: the method's own, or for a called method inlined elsewhere, the caller's
     */
    String accessPackage() {
        return accessPackage != null ? accessPackage : WayOuts.packageOf(method);
    }

    void accessPackage(String accessPackage) {
        this.accessPackage = accessPackage;
    }

    /** Marks this parse as that of a called method, whose calls of itself the call graph judges (recursion). */
    void callee(boolean callee) {
        this.callee = callee;
    }

    boolean isCallee() {
        return callee;
    }

    /** Records where the calls of this parse find their callees' source (shared by all the parser's methods). */
    void sources(java.util.Map<dev.adjoint.processor.ir.Callee, ExecutableElement> sources) {
        this.sources = sources;
    }

    /**
     * @return whether {@code m}'s source is part of this compilation (so that it can be differentiated through),
     *     recording it for {@code callee} when it is, with why the generated class could not call it (null: it
     *     can)
     */
    boolean recordSource(dev.adjoint.processor.ir.Callee callee, ExecutableElement m, String[] inaccessible) {
        if (trees.getTree(m) == null || trees.getPath(m) == null) {
            return false;
        }
        sources.put(callee, m);
        if (inaccessible != null) {
            this.inaccessible.put(callee, inaccessible);
        }
        return true;
    }

    /** Why the generated class could not call a method with source (detail, way out), for a call that stays one. */
    void inaccessible(java.util.Map<dev.adjoint.processor.ir.Callee, String[]> inaccessible) {
        this.inaccessible = inaccessible;
    }

    private java.util.Map<dev.adjoint.processor.ir.Callee, String[]> inaccessible = new java.util.HashMap<>();

    /**
     * Reports an error at a tree (the method when it is null).
     *
     * @return null, so that callers can {@code return ctx.error(...)}
     */
    <T> T error(DiagnosticId id, Tree tree, String detail) {
        return error(id, tree, detail, null);
    }

    /**
     * Reports an error whose way out is particular to this cause (null: the ID's usual one).
     *
     * @return null, so that callers can {@code return ctx.error(...)}
     */
    <T> T error(DiagnosticId id, Tree tree, String detail, String wayOut) {
        diags.error(id, new Pos(tree != null ? tree : methodTree), detail, wayOut);
        return null;
    }

    /**
     * Enters an expression (or, with {@code extra}, a chain of that many operators), reporting ADJ030 and abandoning
     * the method when the expression is nested deeper than {@link #MAX_EXPRESSION_DEPTH}. Pair with
     * {@link #exitExpression}.
     */
    void enterExpression(Tree tree, int extra) {
        expressionDepth += 1 + extra;
        if (expressionDepth > MAX_EXPRESSION_DEPTH) {
            error(DiagnosticId.ADJ030, tree, "an expression nested more than " + MAX_EXPRESSION_DEPTH
                    + " levels deep (operands of a chain such as a + b + c count one level each)");
            throw new dev.adjoint.processor.diagnostics.AbandonMethod();
        }
    }

    /** Leaves what {@link #enterExpression} entered. */
    void exitExpression(int extra) {
        expressionDepth -= 1 + extra;
    }

    /**
     * Enters a conditional expression, reporting ADJ030 and abandoning the method when they nest
     * deeper than {@link #MAX_NESTING}. Pair with {@link #exitNesting}.
     */
    void enterNesting(Tree tree) {
        if (++nesting > MAX_NESTING) {
            error(DiagnosticId.ADJ030, tree, "conditional expressions (?:) nested more than " + MAX_NESTING
                    + " levels deep");
            throw new dev.adjoint.processor.diagnostics.AbandonMethod();
        }
    }

    /** Leaves what {@link #enterNesting} entered. */
    void exitNesting() {
        nesting--;
    }

    /** Records the declared result: {@code double}, {@code double[]}, or null when it was rejected. */
    void resultType(Ty declared) {
        resultType = declared;
    }

    /** @return the declared result type ({@code double} or {@code double[]}), or null when it was rejected */
    Ty resultType() {
        return resultType;
    }

    /** Records that the method has a return statement. */
    void sawReturn() {
        sawReturn = true;
    }

    /** @return whether a return statement was parsed */
    boolean hasReturn() {
        return sawReturn;
    }

    /** Every identifier the method's source mentions, and the names handed out by {@link #freshName}. */
    private java.util.Set<String> names;

    /**
     * @return {@code base}, or it followed by 2, 3, ...: a name for a local the parser introduces (a switch's
     *     selector or value) that no identifier of the method, no field in scope and no earlier such local has
     */
    String freshName(String base) {
        if (names == null) {
            names = new java.util.HashSet<>();
            new com.sun.source.util.TreeScanner<Void, Void>() {
                @Override
                public Void visitIdentifier(com.sun.source.tree.IdentifierTree node, Void unused) {
                    names.add(node.getName().toString());
                    return null;
                }

                @Override
                public Void visitVariable(com.sun.source.tree.VariableTree node, Void unused) {
                    names.add(node.getName().toString());
                    return super.visitVariable(node, unused);
                }

                @Override
                public Void visitMemberSelect(com.sun.source.tree.MemberSelectTree node, Void unused) {
                    names.add(node.getIdentifier().toString());
                    return super.visitMemberSelect(node, unused);
                }
            }.scan(methodTree, null);
        }
        String name = base;
        for (int k = 2; names.contains(name) || resolver.fieldInScope(name) != null; k++) {
            name = base + k;
        }
        names.add(name);
        return name;
    }

    /** @return a new symbol with the next id */
    Sym newSym(String name, Ty type, int paramIndex) {
        return new Sym(nextId++, name, type, paramIndex);
    }

    /** @return the innermost scope */
    Scope scope() {
        return scope;
    }

    /** @return {@code body}'s result, computed with no variable in scope (a field's initializer) */
    <T> T withNoVariables(java.util.function.Supplier<T> body) {
        Scope saved = scope;
        scope = Scope.root();
        try {
            return body.get();
        } finally {
            scope = saved;
        }
    }

    /** The copies of inaccessible computed constants, shared by all the parser's methods, by owner and name. */
    private java.util.Map<String, dev.adjoint.processor.ir.ConstantCopy> copies = new java.util.LinkedHashMap<>();

    void copies(java.util.Map<String, dev.adjoint.processor.ir.ConstantCopy> copies) {
        this.copies = copies;
    }

    java.util.Map<String, dev.adjoint.processor.ir.ConstantCopy> copies() {
        return copies;
    }

    private java.util.function.Supplier<dev.adjoint.processor.rules.Registry> registry =
            () -> dev.adjoint.processor.rules.Registry.BUILTINS;
    private java.util.function.Predicate<ExecutableElement> classPathRules = m -> false;

    void registry(java.util.function.Supplier<dev.adjoint.processor.rules.Registry> registry,
            java.util.function.Predicate<ExecutableElement> classPathRules) {
        this.registry = registry;
        this.classPathRules = classPathRules;
    }

    /** @return the rules, with the user's custom rules and those found on the class path so far */
    dev.adjoint.processor.rules.Registry registry() {
        return registry.get();
    }

    /**
     * Looks for the rules of a method compiled elsewhere: the entry points its generated class carries, marked
     * {@code @Pullback} and {@code @Pushforward}, which then join the {@link #registry()}.
     *
     * @return whether any were found
     */
    boolean findClassPathRules(ExecutableElement method) {
        return classPathRules.test(method);
    }

    /** @return the tree of an element whose source is in this compilation, or null */
    Tree treeOf(javax.lang.model.element.Element e) {
        return trees.getTree(e);
    }

    /** Opens a nested scope. */
    void push() {
        scope = scope.child();
    }

    /** Closes the innermost scope. */
    void pop() {
        scope = scope.parent();
    }

    /** @return the tree's source text exactly as written, or null when positions are not available */
    String sourceOf(Tree tree) {
        if (!sourceRead) {
            sourceRead = true;
            try {
                source = unit.getSourceFile().getCharContent(true);
            } catch (IOException | RuntimeException e) {
                source = null;
            }
        }
        if (source == null || trees == null) {
            return null;
        }
        SourcePositions positions = trees.getSourcePositions();
        long start = positions.getStartPosition(unit, tree);
        long end = positions.getEndPosition(unit, tree);
        if (start < 0 || end <= start || end > source.length()) {
            return null;
        }
        return source.subSequence((int) start, (int) end).toString();
    }

    /** @return a tree as Java source for a message, shortened when long */
    static String show(Tree tree) {
        String s = String.valueOf(tree).replaceAll("\\s+", " ").trim();
        return s.length() <= MAX_SHOWN ? s : s.substring(0, MAX_SHOWN - 3) + "...";
    }
}
