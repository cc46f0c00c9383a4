using System.Text;

namespace AutoDiffGen.Generator.Emit;

/// <summary>Writes indented C# lines.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public CodeWriter()
    {
    }

    /// <summary>A writer for lines that will be appended to <paramref name="outer"/> at its current indentation.</summary>
    public CodeWriter(CodeWriter outer)
    {
        _indent = outer._indent;
    }

    /// <summary>Appends what <paramref name="inner"/> wrote (made with <see cref="CodeWriter(CodeWriter)"/>) as it is.</summary>
    public void Append(CodeWriter inner) => _text.Append(inner._text);

    public void Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _indent * 4);
        }

        _text.Append(line).Append('\n');
    }

    public void Open(string line)
    {
        Line(line);
        Line("{");
        _indent++;
    }

    public void Close(string suffix = "")
    {
        _indent--;
        Line("}" + suffix);
    }

    public override string ToString() => _text.ToString();
}
