package dev.adjoint.processor.transform;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.DerivativeRequest;
import dev.adjoint.processor.ir.Pos;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.SymbolTable;
import dev.adjoint.processor.ir.Ty;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A forward-mode derivative of one method, as IR: what {@link ForwardMode} returns for a
 * {@link DerivativeRequest.Mode#JVP} request.
 *
 * @param request   what was asked
 * @param sweep     the tangents of the parameters that carry one without being differentiated (zero), then the
 *                  original computation with each active assignment's tangent beside it
 * @param result    the local that holds the result
 * @param resultDot the result's tangent, or null when the result is not active (the tangent is then 0)
 * @param tangents  the tangent parameter of each differentiated parameter, in parameter order
 * @param symbols   the method's symbols
 * @param outName   the hygienic name of the result parameter of the reuse form
 * @param width     in vector mode ({@link DerivativeRequest.Mode#JVP_DIRECTIONS}), the parameter that holds the
 *                  number of directions, each tangent having a last dimension of that size; else null
 */
public record Jvp(DerivativeRequest request, Core.Block sweep, Sym result, Sym resultDot, Map<Sym, Sym> tangents,
        SymbolTable symbols, String outName, Sym width) implements Derivative {

    /**
     * Differentiates a lowered, analysed body in forward mode.
     *
     * @param request  the request
     * @param body     the lowered, expanded body
     * @param result   the local holding the result
     * @param activity its activity
     * @param symbols  the method's symbols
     * @return the derivative, as IR
     */
    public static Jvp of(DerivativeRequest request, Core.Block body, Sym result, Activity activity,
            SymbolTable symbols) {
        Sym width = request.mode() == DerivativeRequest.Mode.JVP_DIRECTIONS ? symbols.fresh("width", Ty.INT) : null;
        ForwardMode forward = width == null ? new ForwardMode(activity, symbols)
                : ForwardMode.vector(activity, symbols, width);
        Map<Sym, Sym> tangents = new LinkedHashMap<>();
        for (Sym p : request.wrt()) {
            tangents.put(p, forward.dot(p));
        }
        String out = symbols.freshName("out");
        List<Core> stmts = new ArrayList<>();
        for (Sym p : request.method().params()) {
            if (activity.isActive(p) && !request.wrt().contains(p)) {
                // a parameter that is not differentiated but is assigned active values starts with tangent 0
                stmts.add(new Core.Declare(forward.dot(p), forward.zeroTangent(p), Pos.NONE));
            }
        }
        stmts.addAll(forward.sweep(body).stmts());
        Sym resultDot = activity.isActive(result) ? forward.dot(result) : null;
        return new Jvp(request, new Core.Block(stmts, body.pos()), result, resultDot, tangents, symbols, out, width);
    }
}
