// An HTTP client that retries the ways ServerErrors.Analyzers warns about.
// Build it (`dotnet build samples/Samples.sln`) and read the SE warnings.
Console.WriteLine("See the build warnings of this project.");
