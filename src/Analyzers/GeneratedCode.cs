using Microsoft.CodeAnalysis.Diagnostics;

namespace ServerErrors.Analyzers;

/// <summary>
/// How every analyzer treats generated code: <c>context.ConfigureGeneratedCodeAnalysis(GeneratedCode.Flags)</c>.
/// </summary>
/// <remarks>
/// We never analyze generated code, and the driver already guarantees that by itself: without
/// <see cref="GeneratedCodeAnalysisFlags.Analyze"/> it runs none of our callbacks (operation, syntax node, symbol)
/// on a declaration that is generated — a *.g.cs/*.designer.cs file, an <c>&lt;auto-generated&gt;</c> header,
/// <c>generated_code = true</c> in .editorconfig, <c>[GeneratedCode]</c> on the symbol or a containing type.
/// <para>
/// Without <see cref="GeneratedCodeAnalysisFlags.ReportDiagnostics"/> the driver would also check every diagnostic we
/// report (<c>AnalyzerDriver.IsInGeneratedCode</c>), and on the first diagnostic of each file that walks all the
/// file's tokens looking for <c>GeneratedCode</c> attributes: about half of the cost of the analyzer that reports first
/// in a file on the dense benchmark (docs/performance.md). That check is redundant for us: every location we report
/// lies in the declaration whose callback found it (compilation-end rules SE2006 and SE0001 report locations
/// collected by such callbacks), so it is generated exactly when that declaration is, and then no callback ran.
/// </para>
/// <para>
/// <c>Analyze | ReportDiagnostics</c> with our own <c>IsGeneratedCode</c> check per callback would not do: when every
/// analyzer of a compilation sets both flags the driver treats all code as non-generated and the contexts'
/// <c>IsGeneratedCode</c> stays false; it would also run our callbacks on generated code only to return.
/// </para>
/// </remarks>
internal static class GeneratedCode
{
    public const GeneratedCodeAnalysisFlags Flags = GeneratedCodeAnalysisFlags.ReportDiagnostics;
}
