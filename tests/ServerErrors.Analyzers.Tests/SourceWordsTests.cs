using Microsoft.CodeAnalysis.CSharp;
using ServerErrors.Analyzers.Flow;
using Xunit;
using Verify = ServerErrors.Analyzers.Tests.Stubs.LoopVerifier<
    ServerErrors.Analyzers.Client.UnboundedRetryAnalyzer,
    ServerErrors.Analyzers.CodeFixes.Client.UnboundedRetryCodeFix>;

namespace ServerErrors.Analyzers.Tests;

/// <summary>The per-file word scan that lets the loop rules skip files (and compilations) that never call a send method.</summary>
public class SourceWordsTests
{
    public static TheoryData<string> SendNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in SourceWords.SendNames)
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SendNames))]
    public void EveryScannedName_IsASendName(string name) => Assert.True(RetryLoopShape.IsSendName(name));

    [Fact]
    public void EverySendName_IsScanned()
    {
        // IsSendName is a pattern; these are the names it accepts, and every one must be scanned for.
        foreach (var name in new[]
        {
            "Send", "SendAsync", "GetAsync", "PostAsync", "PutAsync", "PatchAsync", "DeleteAsync", "GetStringAsync", "GetByteArrayAsync",
            "GetStreamAsync", "GetFromJsonAsync", "PostAsJsonAsync", "PutAsJsonAsync", "PatchAsJsonAsync", "DeleteFromJsonAsync",
        })
        {
            Assert.True(RetryLoopShape.IsSendName(name));
            Assert.Contains(name, SourceWords.SendNames);
        }

        Assert.Equal(15, SourceWords.SendNames.Length);
    }

    [Theory]
    [InlineData("class C { async Task M(HttpClient c) => await c.GetAsync(\"u\"); }")]
    [InlineData("class C { void M(HttpClient c) => c.Send(null); }")]
    [InlineData("class C { void M(HttpClient c) => c.@PostAsync(null, null); }")]
    [InlineData("class C { void M(HttpClient c) => c.GetAsync(null); }\r\n")]
    [InlineData("GetAsync")]
    [InlineData("x=>x.PutAsJsonAsync(")]
    // Unicode escapes name the same identifier; formatting characters are ignored inside identifiers.
    [InlineData("class C { void M(HttpClient c) => c.\\u0047etAsync(null); }")]
    [InlineData("class C { void M(HttpClient c) => c.Get\u200BAsync(null); }")]
    public void FindsSendNames(string source)
        => Assert.True(SourceWords.Contains(CSharpSyntaxTree.ParseText(source), Words.Send, default));

    [Theory]
    [InlineData("class C { void M(Repository r) => r.FindAsync(1); }")]
    [InlineData("class C { void M(HttpClient c) => c.GetAsyncX(null); }")]
    [InlineData("class C { void M(HttpClient c) => c.XGetAsync(null); }")]
    [InlineData("class C { void Sender() { } void Resend() { } }")]
    [InlineData("")]
    public void IgnoresOtherIdentifiers(string source)
        => Assert.False(SourceWords.Contains(CSharpSyntaxTree.ParseText(source), Words.Send, default));

    [Fact]
    public void LongFile_NameAcrossTheScanBuffer_IsFound()
    {
        // The scan reads the text in chunks; a name split by a chunk boundary is still one identifier.
        for (var padding = 4090; padding < 4100; padding++)
        {
            var source = new string(' ', padding) + "SendAsync";
            Assert.True(SourceWords.Contains(CSharpSyntaxTree.ParseText(source), Words.Send, default), $"padding {padding}");
        }
    }

    [Fact]
    public Task EscapedSendName_InRetryLoop_StillReported()
        => Verify.VerifyCodeFixAsync(UnboundedLoop("\\u0047etAsync"), BoundedLoop("\\u0047etAsync"));

    [Fact]
    public Task FileWithoutSend_NextToFileWithRetryLoop_OnlyTheLoopReported()
    {
        var test = Verify.Create(UnboundedLoop("GetAsync"), BoundedLoop("GetAsync"));
        test.AdditionalSources.Add("""
            using System.Threading.Tasks;

            public class Worker
            {
                public async Task Run()
                {
                    while (true)
                    {
                        await Task.Delay(1000);
                    }
                }
            }
            """);
        return test.RunAsync();
    }

    // An SE2004 retry loop calling the send method `send`, and the same loop after the fix bounds it.
    private static string UnboundedLoop(string send) => $$"""
        public class Api
        {
            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                [|while|] (true)
                {
                    var response = await client.{{send}}(url);
                    if ((int)response.StatusCode < 500)
                    {
                        return response;
                    }

                    await Task.Delay(TimeSpan.FromSeconds(1));
                }
            }
        }
        """;

    private static string BoundedLoop(string send) => $$"""
        public class Api
        {
            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                var attempt = 0;
                while (true)
                {
                    var response = await client.{{send}}(url);
                    if ((int)response.StatusCode < 500)
                    {
                        return response;
                    }

                    if (++attempt >= 3)
                    {
                        return response;
                    }

                    await Task.Delay(TimeSpan.FromSeconds(1));
                }
            }
        }
        """;

    [Theory]
    [InlineData("class C { string h = \"retry-after\"; }", true)]
    [InlineData("class C { object M(R r) => r.Headers.RetryAfter; }", true)]
    [InlineData("class C { string h = \"Retry\\u002DAfter\"; }", true)]
    [InlineData("class C { object M(R r) => r.Retry\u200BAfter; }", true)]
    [InlineData("class C { object M(R r) => r.Headers.Location; }", false)]
    public void SpanMayContain_FindsTheWordsOrFallsBack(string source, bool expected)
    {
        var root = CSharpSyntaxTree.ParseText(source).GetRoot();
        var member = root.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MemberDeclarationSyntax>().Last();
        Assert.Equal(expected, SourceWords.SpanMayContain(member, "RetryAfter", "Retry-After", default));
    }

    [Fact]
    public void SpanMayContain_LooksOnlyInsideTheNode()
    {
        var root = CSharpSyntaxTree.ParseText("class A { int RetryAfter; } class B { int Location; }").GetRoot();
        var b = root.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax>().Last();
        Assert.False(SourceWords.SpanMayContain(b, "RetryAfter", "Retry-After", default));
    }
}
