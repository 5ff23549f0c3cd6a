package dev.adjoint.processor.diagnostics;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.Trees;
import dev.adjoint.processor.ir.Pos;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.Messager;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * Reports errors through javac at the line and column of the offending tree (or, for nodes the pipeline made
 * itself, at the method), and counts them.
 */
public final class TreeDiagnostics implements Diagnostics {
    private final Trees trees;
    private final Messager messager;
    private final CompilationUnitTree unit;
    private final Element method;
    private int errors;
    /** Each message with the tree (or element) it was reported at; compared by identity of the tree. */
    private final Set<List<Object>> reported = new HashSet<>();

    /**
     * @param trees    javac's tree API
     * @param messager where messages go when there is no tree
     * @param unit     the method's compilation unit
     * @param method   the method being processed
     */
    public TreeDiagnostics(Trees trees, Messager messager, CompilationUnitTree unit, Element method) {
        this(trees, messager, unit, method, List.of());
    }

    /**
     * @param others the compilation units of the methods differentiated through from this one (called helpers),
     *               where a tree that is not in {@code unit} is looked for
     */
    public TreeDiagnostics(Trees trees, Messager messager, CompilationUnitTree unit, Element method,
            java.util.Collection<CompilationUnitTree> others) {
        this.trees = trees;
        this.messager = messager;
        this.unit = unit;
        this.method = method;
        this.others = others;
    }

    private final java.util.Collection<CompilationUnitTree> others;

    /** @return the unit that holds {@code tree}: the method's, or that of a helper it calls */
    private CompilationUnitTree unitOf(Tree tree) {
        if (others.isEmpty() || unit == null || trees.getPath(unit, tree) != null) {
            return unit;
        }
        for (CompilationUnitTree u : others) {
            if (trees.getPath(u, tree) != null) {
                return u;
            }
        }
        return unit;
    }

    @Override
    public void error(DiagnosticId id, Pos pos, String detail, String wayOut) {
        errors++;
        String message = id.format(detail, wayOut);
        Object at = pos == null || pos.tree() == null ? method : pos.tree();
        if (!reported.add(List.of(message, at))) {
            return; // the same message at the same place: one cause, one error
        }
        if (pos != null && pos.tree() instanceof Tree tree && unit != null) {
            trees.printMessage(Diagnostic.Kind.ERROR, message, tree, unitOf(tree));
        } else {
            messager.printMessage(Diagnostic.Kind.ERROR, message, method);
        }
    }

    @Override
    public int errorCount() {
        return errors;
    }
}
