package dev.adjoint.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Origin;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.Ty;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one printer of statements: turns lowered IR, primal and derivative alike, into JavaPoet code, with the
 * generated comments that the nodes carry (the rule of each derivative statement, the source statement each
 * reverse step undoes). It decides layout only; what is computed is decided by the transforms.
 */
public final class CorePrinter {
    private final ExprPrinter exprs;
    private final Map<Sym, String> scratch;

    /** @param exprs prints expressions */
    public CorePrinter(ExprPrinter exprs) {
        this(exprs, Map.of());
    }

    private CorePrinter(ExprPrinter exprs, Map<Sym, String> scratch) {
        this.exprs = exprs;
        this.scratch = scratch;
    }

    /**
     * @param owned for each local array a reusable result owns ({@link dev.adjoint.processor.transform.Scratch}),
     *              the field that keeps it, e.g. {@code out.sumQScratch}
     * @return a printer that declares those arrays with the result's array, zeroed, instead of a new one
     */
    public CorePrinter withScratch(Map<Sym, String> owned) {
        return new CorePrinter(exprs, Map.copyOf(owned));
    }

    /** @return the kind of tape push and pop for a type: {@code Double}, {@code Int}, ..., {@code Ref} for arrays */
    static String tapeKind(Ty t) {
        return switch (t) {
            case DOUBLE -> "Double";
            case INT -> "Int";
            case LONG -> "Long";
            case BOOLEAN -> "Boolean";
            case DOUBLE_ARRAY, DOUBLE_MATRIX, INT_ARRAY, TENSOR3 -> "Ref";
        };
    }

    /** @return the statements of {@code b}, without braces */
    public CodeBlock statements(Core.Block b) {
        CodeBlock.Builder out = CodeBlock.builder();
        for (Core c : b.stmts()) {
            print(c, out);
        }
        return out.build();
    }

    private void print(Core c, CodeBlock.Builder out) {
        c.accept(new Core.Visitor<Void>() {
            @Override
            public Void visitBlock(Core.Block b) {
                out.add("{\n").indent().add(statements(b)).unindent().add("}\n");
                return null;
            }

            @Override
            public Void visitDeclare(Core.Declare d) {
                String field = scratch.get(d.sym());
                if (field != null && d.init() instanceof Expr.NewArray n) {
                    List<String> dims = new ArrayList<>();
                    n.dims().forEach(x -> dims.add(exprs.print(x)));
                    out.addStatement("$L $L = $L = $T.zeros($L, $L)", d.sym().type().java(), exprs.name(d.sym()),
                            field, ClassName.get("dev.adjoint.runtime", "Buffers"), field, String.join(", ", dims));
                    return null;
                }
                if (field != null && d.init() instanceof Expr.Call like) {
                    out.addStatement("$L $L = $L = $T.zeros($L, $L)", d.sym().type().java(), exprs.name(d.sym()),
                            field, ClassName.get("dev.adjoint.runtime", "Buffers"), field,
                            exprs.print(like.args().get(0)));
                    return null;
                }
                CodeBlock value = value(d.init(), d.origin() != null);
                line(out, CodeBlock.of("$L $L = $L", d.sym().type().java(), exprs.name(d.sym()), value), d.origin());
                return null;
            }

            @Override
            public Void visitAssign(Core.Assign a) {
                String step = stepOf(a);
                if (step != null) {
                    out.addStatement("$L", step);
                    return null;
                }
                CodeBlock value = value(a.value(), a.origin() != null);
                line(out, CodeBlock.of("$L = $L", exprs.print(a.target()), value), a.origin());
                return null;
            }

            @Override
            public Void visitEval(Core.Eval e) {
                out.addStatement("$L", exprs.print(e.call()));
                return null;
            }

            @Override
            public Void visitIf(Core.If i) {
                out.beginControlFlow("if ($L)", exprs.print(i.cond()));
                Core.If at = i;
                while (true) {
                    out.add(statements(at.then()));
                    List<Core> rest = at.otherwise().stmts();
                    if (rest.size() == 1 && rest.get(0) instanceof Core.If next) {
                        out.nextControlFlow("else if ($L)", exprs.print(next.cond()));
                        at = next;
                    } else {
                        if (!rest.isEmpty()) {
                            out.nextControlFlow("else");
                            out.add(statements(at.otherwise()));
                        }
                        break;
                    }
                }
                out.endControlFlow();
                return null;
            }

            @Override
            public Void visitFor(Core.For f) {
                String index = exprs.name(f.index());
                out.beginControlFlow("for ($L $L = $L; $L $L $L; $L$L)", f.index().type().java(), index,
                        exprs.print(f.from()), index, f.cmp().symbol, exprs.print(f.bound()), index,
                        f.step() > 0 ? "++" : "--");
                out.add(statements(f.body()));
                out.endControlFlow();
                return null;
            }

            @Override
            public Void visitWhile(Core.While w) {
                if (!w.testFirst()) {
                    out.beginControlFlow("do");
                    out.add(statements(w.body()));
                    out.add(statements(w.update()));
                    out.unindent().add("} while ($L);\n", exprs.print(w.cond()));
                } else if (w.preCond().stmts().isEmpty()) {
                    out.beginControlFlow("while ($L)", exprs.print(w.cond()));
                    out.add(statements(w.body()));
                    out.add(statements(w.update()));
                    out.endControlFlow();
                } else {
                    out.beginControlFlow("while (true)");
                    out.add(statements(w.preCond()));
                    out.beginControlFlow("if ($L)", exprs.print(
                            new Expr.Unary(Expr.UnOp.NOT, w.cond(), Ty.BOOLEAN, w.cond().pos())));
                    out.addStatement("break");
                    out.endControlFlow();
                    out.add(statements(w.body()));
                    out.add(statements(w.update()));
                    out.endControlFlow();
                }
                return null;
            }

            @Override
            public Void visitThrow(Core.Throw t) {
                out.addStatement("throw $L", t.source());
                return null;
            }

            @Override
            public Void visitSave(Core.Save s) {
                out.addStatement("$L.push$L($L)", exprs.tape(), tapeKind(s.value().type()), exprs.print(s.value()));
                return null;
            }

            @Override
            public Void visitRestore(Core.Restore r) {
                String pop = exprs.print(new Expr.Pop(r.target().type(), r.pos()));
                if (r.declare()) {
                    out.addStatement("$L $L = $L", r.target().type().java(), exprs.print(r.target()), pop);
                } else {
                    out.addStatement("$L = $L", exprs.print(r.target()), pop);
                }
                return null;
            }

            @Override
            public Void visitAccumulate(Core.Accumulate a) {
                line(out, CodeBlock.of("$L $L $L", exprs.print(a.adjoint()), a.subtract() ? "-=" : "+=",
                        value(a.term(), true)), a.origin());
                return null;
            }

            @Override
            public Void visitZero(Core.Zero z) {
                out.addStatement("$L = 0.0", exprs.print(z.adjoint()));
                return null;
            }

            @Override
            public Void visitSwitch(Core.Switch s) {
                out.add("switch ($L) {\n", exprs.print(s.selector())).indent();
                for (int k = 0; k < s.cases().size(); k++) {
                    Core.Block arm = s.cases().get(k);
                    if (!arm.stmts().isEmpty()) {
                        out.add("case $L -> {\n", k).indent().add(statements(arm)).unindent().add("}\n");
                    }
                }
                out.unindent().add("}\n");
                return null;
            }

            @Override
            public Void visitNote(Core.Note n) {
                out.add("// $L\n", says(n.says()));
                return null;
            }
        });
    }

    /** {@code x = x + 1} on a counter the transform introduced (no source position) is written {@code x++}. */
    private String stepOf(Core.Assign a) {
        if (a.origin() == null && a.pos() == dev.adjoint.processor.ir.Pos.NONE && a.target() instanceof Expr.Var v && (v.type() == Ty.INT || v.type() == Ty.LONG)
                && a.value() instanceof Expr.Binary b && b.left() instanceof Expr.Var l && l.sym() == v.sym()
                && b.right() instanceof Expr.Lit one && one.text().equals("1")) {
            if (b.op() == Expr.BinOp.ADD) {
                return exprs.name(v.sym()) + "++";
            } else if (b.op() == Expr.BinOp.SUB) {
                return exprs.name(v.sym()) + "--";
            }
        }
        return null;
    }

    /**
     * @param derivative whether the value is a derivative term, where a conditional is parenthesised to read as
     *                   one term
     */
    private CodeBlock value(Expr e, boolean derivative) {
        if (e instanceof Expr.Call c && c.owner().startsWith("dev.adjoint.runtime.")) {
            // the runtime's helpers are imported
            String owner = c.owner();
            ClassName cls = ClassName.get("dev.adjoint.runtime", owner.substring(owner.lastIndexOf('.') + 1));
            List<String> args = new ArrayList<>();
            c.args().forEach(a -> args.add(exprs.print(a)));
            return CodeBlock.of("$T.$L($L)", cls, c.name(), String.join(", ", args));
        }
        String s = exprs.print(e);
        return CodeBlock.of("$L", derivative && e instanceof Expr.Cond ? "(" + s + ")" : s);
    }

    private static void line(CodeBlock.Builder out, CodeBlock statement, Origin origin) {
        if (origin == null) {
            out.addStatement(statement);
        } else {
            out.add("$L; // $L\n", statement, origin);
        }
    }

    private String names(List<Sym> syms) {
        List<String> names = new ArrayList<>();
        for (Sym sym : syms) {
            names.add(exprs.name(sym));
        }
        return String.join(", ", names);
    }

    private String says(Core.Says says) {
        if (says instanceof Core.Says.SourceOf s) {
            if (s.stmt() instanceof Core.Declare d) {
                return d.sym().type().java() + " " + exprs.name(d.sym()) + " = " + exprs.print(d.init());
            } else if (s.stmt() instanceof Core.Assign a) {
                return exprs.print(a.target()) + " = " + exprs.print(a.value());
            }
            throw new IllegalStateException("no source comment for " + s.stmt().getClass().getSimpleName());
        } else if (says instanceof Core.Says.Saved s) {
            List<String> names = new ArrayList<>();
            for (Sym sym : s.syms()) {
                names.add(exprs.name(sym));
            }
            return "save for the reverse sweep: " + String.join(", ", names);
        } else if (says instanceof Core.Says.Recomputed r) {
            return "cheap recompute: " + names(r.syms()) + " computed again from what does not change, not saved";
        } else if (says instanceof Core.Says.Unchanged u) {
            return exprs.print(u.adjoint()) + " is unchanged: " + u.origin();
        } else if (says instanceof Core.Says.TripByTrip t) {
            return "independent iterations: the trips share only " + names(t.accumulators()) + " (sum rule: "
                    + (t.accumulators().size() == 1 ? "its adjoint is" : "their adjoints are") + " fixed), so "
                    + "each trip is reversed as soon as it ends";
        } else if (says instanceof Core.Says.ScalarAccumulator a) {
            return "scalar accumulator: the loop adds into " + exprs.print(a.element()) + " in every trip, so it is kept in "
                    + exprs.name(a.local()) + " and stored back after the loop";
        } else if (says instanceof Core.Says.TripReversed) {
            return "the reverse sweep of this trip";
        }
        throw new IllegalStateException("unhandled note " + says.getClass().getSimpleName());
    }
}
