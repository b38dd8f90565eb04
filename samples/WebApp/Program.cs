// A small ASP.NET Core app that makes the mistakes ServerErrors.Analyzers catches.
// Build it (`dotnet build samples/Samples.sln`) and read the SE warnings.
using WebApp;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllers();

// SE1002: detailed SignalR errors in every environment.
builder.Services.AddSignalR(options => options.EnableDetailedErrors = true);

var app = builder.Build();

// SE1002: the developer exception page shows stack traces and source code to anyone.
app.UseDeveloperExceptionPage();

// Correct: only in Development.
if (app.Environment.IsDevelopment())
{
    app.UseDeveloperExceptionPage();
}

app.MapControllers();
app.MapGet("/", () => "Hello World!");
SampleEndpoints.Map(app);

app.Run();
