/**
 * A test harness for annotation processing in memory, and for checking generated gradients.
 *
 * <ul>
 *   <li>{@link dev.adjoint.testing.Javac}: an immutable, thread-safe compile configuration (processors, options,
 *       class path, time bound). {@code Javac.adjoint()} runs a fresh {@code AdjointProcessor} with
 *       {@code -Xlint:all,-processing -parameters}; {@code .strict()} adds {@code -Werror}; {@code Javac.plain()}
 *       runs no processor. {@code compile(String...)}, {@code compile(List)}, {@code compile(Map)}.</li>
 *   <li>{@link dev.adjoint.testing.Compilation}: the outcome: {@code succeeded()}, {@code errors()},
 *       {@code warnings()}, {@code diagnostics()} (kind, file, line, column, message, javac code),
 *       {@code diagnosticsIn(className)}, {@code generatedSources()}, {@code generatedSource(name)},
 *       {@code loadClass(binaryName)} (one class loader per compilation), {@code crash()}, {@code timedOut()},
 *       {@code output()} (what javac printed: captured, never printed), {@code javacCrash()},
 *       {@code report()} and {@code assertSucceeded()}.</li>
 *   <li>{@link dev.adjoint.testing.JavacCrash}: javac's own crash report ("An exception has occurred in the
 *       compiler"), read from a compile's output: the exception, the frames, and whether our code is among them.</li>
 *   <li>{@link dev.adjoint.testing.Grad}: reflective access to {@code C.f} and {@code CGrad.f} (both overloads) and
 *       to the result's {@code value()} and accessors.</li>
 *   <li>{@link dev.adjoint.testing.FiniteDifferences}: central and Richardson-extrapolated differences, with a
 *       reliability test; {@code relativeError(a, b) = |a − b| / max(1, |a|, |b|)}.</li>
 *   <li>{@link dev.adjoint.testing.GradientCheck}: a gradient against finite differences at many points, counting
 *       compared, skipped (unreliable) and failed components.</li>
 *   <li>{@link dev.adjoint.testing.RandomPoints}: seeded inputs in given domains.</li>
 *   <li>{@link dev.adjoint.testing.Measurements}: where passing tests put what they measured
 *       ({@code target/test-measurements.txt}; {@code -Dadjoint.test.print=true} prints it too), so that a passing
 *       build prints nothing of its own.</li>
 *   <li>{@link dev.adjoint.testing.NumericalGradProcessor}: a stand-in processor that writes the generated API with
 *       numerical gradients, to test the tests ({@code -Dadjoint.test.processor=...}).</li>
 * </ul>
 */
package dev.adjoint.testing;
