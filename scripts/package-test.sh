#!/usr/bin/env bash
# Proves the NuGet package works outside the solution: packs AutoDiffGen (runtime + generator in
# analyzers/dotnet/cs), creates a fresh console project that takes the package from the local folder,
# builds the README's example with it, runs it and checks the numbers.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$repo/Directory.Build.props")"

rm -rf "$repo/artifacts/packages"
dotnet pack "$repo/runtime/AutoDiffGen/AutoDiffGen.csproj" -c Release -o "$repo/artifacts/packages" -nologo -v quiet

package="$repo/artifacts/packages/AutoDiffGen.$version.nupkg"
# List once, then search the text: `unzip -l | grep -q` under pipefail fails at random when grep exits
# early and unzip dies of SIGPIPE.
listing="$(unzip -l "$package")"
grep -q "analyzers/dotnet/cs/AutoDiffGen.Generator.dll" <<<"$listing" || { echo "package lacks the generator" >&2; exit 1; }
grep -q "lib/net10.0/AutoDiffGen.dll" <<<"$listing" || { echo "package lacks the runtime" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
cat > nuget.config <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="autodiffgen-local" value="$repo/artifacts/packages" />
  </packageSources>
</configuration>
CONFIG
dotnet new console -n Consumer -o Consumer --framework net10.0 >/dev/null
cd Consumer
# A private package folder, so a package cached by an earlier run of the same version is never used.
export NUGET_PACKAGES="$work/packages"
dotnet add package AutoDiffGen --version "$version" >/dev/null

# The README's example, verbatim (between the example markers).
sed -n '/<!-- example:start -->/,/<!-- example:end -->/p' "$repo/README.md" | sed '1,2d;$d' | sed '$d' > Program.cs
output="$(dotnet run 2>&1)"
echo "$output"
grep -q "a = 7, da/dw = 3, da/db = 1, da/dx = 2" <<<"$output" || { echo "package test: unexpected output" >&2; exit 1; }
echo "package test: OK ($package)"
