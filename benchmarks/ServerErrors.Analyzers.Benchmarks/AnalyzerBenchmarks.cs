using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ServerErrors.Analyzers.Benchmarks;

/// <summary>
/// What the package costs a build: all of its analyzers over a large web project, compared with the
/// compiler's own diagnostics of the same code (which a build computes anyway); and over a console app, which
/// must pay (almost) nothing beyond its compiler diagnostics.
/// Run: dotnet run -c Release --project benchmarks/ServerErrors.Analyzers.Benchmarks -- --filter '*'
/// (the ratio to compile time, which is the number to track, comes from the <c>ratio</c> command: see <see cref="RatioBenchmark"/>).
/// </summary>
[MemoryDiagnoser]
public class AnalyzerBenchmarks
{
    internal static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = typeof(Server.DetailedErrorsOutsideDevelopmentAnalyzer).Assembly.GetTypes()
        .Where(t => typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && !t.IsAbstract && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    /// <summary>The rule analyzers that the shipped families run, each on its own.</summary>
    internal static readonly ImmutableArray<DiagnosticAnalyzer> Rules = Analyzers.OfType<AnalyzerFamily>().SelectMany(f => f.Rules).ToImmutableArray();

    internal CSharpCompilation WebCompilation = null!;
    private CSharpCompilation _console = null!;

    [Params(200)]
    public int Files { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var netCore = FromDirectory(Path.GetDirectoryName(typeof(object).Assembly.Location)!);
        var aspNetCore = netCore.AddRange(FromDirectory(Path.GetDirectoryName(typeof(Microsoft.AspNetCore.Http.HttpContext).Assembly.Location)!))
            .Add(MetadataReference.CreateFromFile(typeof(Polly.Policy).Assembly.Location))
            .Add(MetadataReference.CreateFromFile(typeof(Polly.ResiliencePipeline).Assembly.Location));

        WebCompilation = Create("Web", aspNetCore, WebSource);
        _console = Create("Console", netCore, ConsoleSource);
        Console.WriteLine($"{Analyzers.Length} analyzers; web diagnostics: {RunAnalyzers(WebCompilation).Length}");
    }

    [Benchmark(Baseline = true, Description = "web: compiler diagnostics only")]
    public int WebCompilerOnly() => WebCompilation.Clone().GetDiagnostics().Length;

    [Benchmark(Description = "web: empty IOperation analyzer (driver floor)")]
    public int WebEmptyAnalyzer() => RunAnalyzers(WebCompilation, ImmutableArray.Create<DiagnosticAnalyzer>(new EmptyOperationAnalyzer())).Length;

    [Benchmark(Description = "web: all ServerErrors analyzers")]
    public int WebAnalyzers() => RunAnalyzers(WebCompilation).Length;

    [Benchmark(Description = "console app: compiler diagnostics only")]
    public int ConsoleCompilerOnly() => _console.Clone().GetDiagnostics().Length;

    [Benchmark(Description = "console app: all ServerErrors analyzers")]
    public int ConsoleAnalyzers() => RunAnalyzers(_console).Length;

    internal static ImmutableArray<Diagnostic> RunAnalyzers(CSharpCompilation compilation, ImmutableArray<DiagnosticAnalyzer>? analyzers = null)
        // A fresh compilation each time, so no per-compilation cache carries over between iterations.
        => compilation.Clone()
            .WithAnalyzers(analyzers ?? Analyzers, new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: true, logAnalyzerExecutionTime: false))
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();

    private CSharpCompilation Create(string name, ImmutableArray<MetadataReference> references, Func<int, string> source)
    {
        var trees = Enumerable.Range(0, Files).Select(i => CSharpSyntaxTree.ParseText(source(i), new CSharpParseOptions(LanguageVersion.Latest), path: $"/src/File{i}.cs"));
        return CSharpCompilation.Create(name, trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    // A realistic mix: controllers, minimal APIs, middleware, and an HTTP client with retries.
    private static string WebSource(int i) => $$"""
        using System;
        using System.Net;
        using System.Net.Http;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Hosting;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.Extensions.Hosting;
        using Microsoft.Extensions.Logging;

        namespace Bench{{i}};

        public class OrdersController{{i}} : ControllerBase
        {
            private readonly ILogger<OrdersController{{i}}> _logger;
            public OrdersController{{i}}(ILogger<OrdersController{{i}}> logger) => _logger = logger;

            public IActionResult Get(int id)
            {
                try
                {
                    if (id < 0) return BadRequest("negative id");
                    return Ok(new { id, name = "order" + id });
                }
                catch (InvalidOperationException ex)
                {
                    _logger.LogError(ex, "failed");
                    return StatusCode(500, new { error = ex.Message });
                }
            }

            public IActionResult Busy() => StatusCode(503);
        }

        public static class Endpoints{{i}}
        {
            public static void Map(WebApplication app, IWebHostEnvironment env)
            {
                if (env.IsDevelopment()) app.UseDeveloperExceptionPage();
                app.MapGet("/a{{i}}", () => Results.Ok());
                app.MapGet("/b{{i}}", (HttpContext ctx) =>
                {
                    ctx.Response.Headers.RetryAfter = "30";
                    return Results.StatusCode(503);
                });
            }
        }

        public class Client{{i}}
        {
            private readonly HttpClient _http = new();
            public async Task<HttpResponseMessage> Send(string url)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    var response = await _http.GetAsync(url);
                    if ((int)response.StatusCode < 500) return response;
                    await Task.Delay(TimeSpan.FromMilliseconds(100 * Math.Pow(2, attempt)));
                }
                return await _http.GetAsync(url);
            }
        }
        """;

    private static string ConsoleSource(int i) => $$"""
        using System;
        using System.Collections.Generic;
        using System.Linq;

        namespace Console{{i}};

        public class Worker{{i}}
        {
            public int Sum(IEnumerable<int> values) => values.Where(v => v > 0).Sum();
            public string Describe(Exception ex) => ex.Message + ex.StackTrace;
            public void Loop() { for (var i = 0; i < 10; i++) { if (i % 2 == 0) continue; System.Console.WriteLine(i); } }
        }
        """;

    private static ImmutableArray<MetadataReference> FromDirectory(string directory)
    {
        var builder = ImmutableArray.CreateBuilder<MetadataReference>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.dll").OrderBy(f => f, StringComparer.Ordinal))
        {
            using var stream = File.OpenRead(file);
            using var reader = new PEReader(stream);
            if (reader.HasMetadata && reader.GetMetadataReader().IsAssembly)
            {
                builder.Add(MetadataReference.CreateFromFile(file));
            }
        }

        return builder.ToImmutable();
    }
}

/// <summary>Each analyzer alone over the web project, to see where the time and allocations go.</summary>
[MemoryDiagnoser]
public class PerAnalyzerBenchmarks
{
    private readonly AnalyzerBenchmarks _setup = new() { Files = 200 };
    private ImmutableArray<DiagnosticAnalyzer> _analyzer;

    public static IEnumerable<string> AnalyzerNames => AnalyzerBenchmarks.Analyzers.Select(a => a.GetType().Name);

    [ParamsSource(nameof(AnalyzerNames))]
    public string Analyzer { get; set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _setup.Setup();
        _analyzer = AnalyzerBenchmarks.Analyzers.Where(a => a.GetType().Name == Analyzer).ToImmutableArray();
    }

    [Benchmark]
    public int Web() => AnalyzerBenchmarks.RunAnalyzers(_setup.WebCompilation, _analyzer).Length;
}

/// <summary>
/// Registers for the operation kinds our rules use and does nothing: what any IOperation analyzer costs
/// (binding every method body and building operation trees), so the difference to it is our own work.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class EmptyOperationAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Never = new("BENCH001", "Never", "Never", "Benchmark", DiagnosticSeverity.Hidden, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Never);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterOperationAction(_ => { }, OperationKind.Invocation, OperationKind.ObjectCreation, OperationKind.SimpleAssignment, OperationKind.Loop);
    }
}
