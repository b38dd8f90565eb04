using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ServerErrors.Analyzers.Flow;
using ServerErrors.Analyzers.Tests.Verifiers;
using Xunit;

namespace ServerErrors.Analyzers.Tests;

/// <summary>
/// SE1003/SE1004's question of a status helper, "which parameter does it store into Response.StatusCode?", read from
/// syntax and declared types without binding the helper; forms the syntax cannot prove are left to binding. The Debug
/// build (these tests) also asks the bound body through <see cref="ResponseHelper.StatusOf"/> and requires the same
/// parameter, assignment and value.
/// </summary>
public class StatusAssignmentSyntaxTests
{
    public static TheoryData<string, bool, int> Bodies() => new()
    {
        // Read from syntax: the parameter's ordinal.
        { "context.Response.StatusCode = status;", true, 1 },
        { "context.Response.StatusCode = (int)code;", true, 3 },
        { "context.Response.StatusCode = ((int)(code));", true, 3 },
        { "response.StatusCode = (int)code;", true, 3 },
        { "context.Response.StatusCode = @status;", true, 1 },
        { "context.Response.StatusCode = status; context.Response.ContentType = \"text/plain\";", true, 1 },
        // Read from syntax: no status from a parameter.
        { "context.Response.StatusCode = 500;", true, -1 },
        { "context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;", true, -1 },
        { "context.Response.StatusCode = status + 0;", true, -1 },
        { "var current = context.Response.StatusCode; context.Response.StatusCode += 0;", true, -1 },
        { "context.Response.StatusCode = status; response.StatusCode = status;", true, -1 },
        { "holder.StatusCode = status;", true, -1 },
        // Left to binding: the header may be written, the receiver or the value needs the binder.
        { "context.Response.StatusCode = status; context.Response.Headers.RetryAfter = \"30\";", false, -1 },
        { "context.Response.StatusCode = status; context.Response.Headers.Append(\"X\", \"1\");", false, 1 },
        { "_context.Response.StatusCode = status;", false, 1 },
        { "Action set = () => context.Response.StatusCode = status; set();", false, 1 },
#if !ROSLYN4_5
        // Null-conditional assignment is C# 14: Roslyn 4.5 cannot parse it.
        { "context?.Response.StatusCode = status;", false, 1 },
#endif
        { "context.Response.StatusCode = status!;", false, 1 },
        { "_ = new Holder { StatusCode = status };", false, -1 },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void ReadsTheStatusAssignment(string statements, bool readBySyntax, int parameter)
    {
        var source = $$"""
            #nullable enable
            using System;
            using System.Net;
            using Microsoft.AspNetCore.Http;

            public class Holder
            {
                public int StatusCode { get; set; }
            }

            public class Middleware
            {
                private readonly HttpContext _context = new DefaultHttpContext();

                private void Write(HttpContext? context, int status, HttpResponse response, HttpStatusCode code, Holder holder)
                {
                    {{statements}}
                }
            }
            """;
        var compilation = CSharpCompilation.Create(
            "Helpers",
            new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Preview)) },
            TestReferences.AspNetCore,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var method = compilation.GetTypeByMetadataName("Middleware")!.GetMembers("Write").OfType<IMethodSymbol>().Single();
        var types = WellKnownTypes.Get(compilation);

        var read = StatusAssignmentSyntax.TryRead(compilation, method, method.DeclaringSyntaxReferences[0].GetSyntax(), types, out var status);

        Assert.Equal(readBySyntax, read);
        if (read)
        {
            Assert.Equal(parameter, status.Parameter);
        }

        // Either way, the answer (checked against the bound body in Debug) names the same parameter.
        Assert.Equal(parameter, ResponseHelper.StatusOf(compilation, method, types, default)?.Parameter ?? -1);
    }
}
