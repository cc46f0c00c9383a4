using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Analysis;
using AutoDiffGen.Generator.Derivatives;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Transforms;

/// <summary>
/// Reverse mode as an IR→IR transform. The pullback body is a forward sweep (the primal, plus saving
/// what the reverse sweep will need) followed by a reverse sweep that visits the statements last to
/// first, restoring overwritten values and accumulating adjoints <c>_d_x</c> with the rules of
/// <see cref="DerivativeRules"/>.
/// <list type="bullet">
/// <item>A value the reverse sweep reads is saved before it is overwritten: into a local outside loops,
/// onto a <c>Tape&lt;T&gt;</c> inside them (pushed by the forward sweep, popped by the reverse sweep).</item>
/// <item>Branches taken and loop trip counts are recorded the same way; canonical counting loops are
/// simply run backwards.</item>
/// <item>Calls of other <c>[Differentiable]</c> methods are differentiated through their pullbacks,
/// which recompute the callee's forward sweep; supplied derivatives are called once, in the forward
/// sweep, and their partials kept.</item>
/// </list>
/// </summary>
internal sealed class ReverseMode
{
    private readonly MethodIr _method;
    private readonly ActivityAnalysis _activity;
    private readonly NameAllocator _names;
    private readonly string _seed;
    private readonly Dictionary<string, ScalarType> _types = new();

    // Whether the method has double values: then integers it saves inside loops go on the double tape.
    private bool _computesInDouble;
    private readonly Dictionary<string, string> _adjoints = new();
    private readonly List<LocalDeclaration> _extraLocals = new();
    private readonly SweepResources _resources;
    private readonly IReadOnlyDictionary<string, string> _derivativeNames;
    private readonly Dictionary<string, ArrayType> _arrays = new();
    private readonly HashSet<string> _writtenArrays = new();
    private readonly HashSet<string> _savedArrays = new();
    private readonly HashSet<string> _arraysReadByPullbacks = new();
    private Dictionary<string, IrExpression> _rematerialized = new();
    private Rematerialization.Plan _recomputation = new();

    // To-be-recorded analysis (as in Tapenade): where each value is read by the reverse sweep, and where
    // each statement sits, so an assignment saves the old value only if a reader may run before it.
    private readonly Dictionary<string, List<Site>> _readers = new();
    private readonly Dictionary<IrStatement, Site> _sites = new(ReferenceComparer<IrStatement>.Instance);
    private readonly List<object> _loops = new();
    private IrStatement? _currentStatement;
    private int _position;

    /// <summary>A statement's place: its order in the method and the loops around it.</summary>
    private sealed record Site(IrStatement Statement, int Position, object[] Loops)
    {
        public bool SharesLoopWith(Site other) => Loops.Any(l => other.Loops.Contains(l));
    }
    private readonly Dictionary<string, int> _assignmentCount = new();
    private readonly HashSet<string> _assignedInLoop = new();
    private readonly HashSet<string> _needed = new();
    private readonly HashSet<string> _saved = new();
    private readonly HashSet<string> _steppedBack = new();
    private readonly HashSet<string> _savedCandidates = new();
    private readonly HashSet<string> _inductionVariables = new();
    private readonly HashSet<AssignStatement> _initialAssignments = new(ReferenceComparer<AssignStatement>.Instance);
    private readonly Dictionary<ForStatement, CanonicalLoop> _canonicalLoops = new(ReferenceComparer<ForStatement>.Instance);
    private readonly Dictionary<AssignStatement, string[]> _suppliedPartials = new(ReferenceComparer<AssignStatement>.Instance);

    private ReverseMode(MethodIr method, ActivityAnalysis activity, NameAllocator names, string seed, IReadOnlyDictionary<string, string> derivativeNames)
    {
        _method = method;
        _activity = activity;
        _names = names;
        _seed = seed;
        _derivativeNames = derivativeNames;
        _resources = new SweepResources(names);
    }

    /// <summary>
    /// Builds the pullback body of a method in three-address, jump-free form. <paramref name="derivativeNames"/>
    /// names each differentiable array parameter's adjoint buffer and each output's seed.
    /// </summary>
    public static GeneratedBody Apply(MethodIr method, ActivityAnalysis activity, NameAllocator names, string seed, IReadOnlyDictionary<string, string> derivativeNames)
    {
        var transform = new ReverseMode(method, activity, names, seed, derivativeNames);
        return transform.Run();
    }

    private GeneratedBody Run()
    {
        foreach (ParameterIr parameter in _method.Parameters)
        {
            _types[parameter.Name] = parameter.Type;
            _assignmentCount[parameter.Name] = 1; // the caller's value
            if (parameter.Array is not null)
            {
                _arrays[parameter.Name] = parameter.Array;
            }
        }

        foreach (LocalIr local in _method.Locals)
        {
            _types[local.Name] = local.Type;
            if (local.Array is not null)
            {
                // In generated code every local array lives in a rented T[] (or T[,]).
                _arrays[local.Name] = local.Array with { Kind = ArrayKind.Array };
            }
        }

        _computesInDouble = _types.ContainsValue(ScalarType.Double);

        // Arrays a callee's pullback reads again must be as they were at the call, whatever comes later.
        Variables.ForEachAssignment(_method.Body, 0, (assign, _) =>
        {
            if (assign.Value is CallExpression { Target.Kind: CallKind.Differentiable } call && _activity.IsActive(assign.Target))
            {
                _arraysReadByPullbacks.UnionWith(call.Arguments.OfType<ArrayReferenceExpression>().Select(a => a.Name));
            }
        });
        FindCanonicalLoops(_method.Body);
        _recomputation = Rematerialization.Find(_method, _inductionVariables);
        _rematerialized = _recomputation.Chosen;
        Prepare(_method.Body, 0, new HashSet<string>());
        foreach (string name in _needed)
        {
            bool overwritten = _assignedInLoop.Contains(name) || (_assignmentCount.TryGetValue(name, out int count) && count > 1);
            if (overwritten && !_inductionVariables.Contains(name) && !_arrays.ContainsKey(name))
            {
                _savedCandidates.Add(name);
            }
        }

        // Arrays whose contents the reverse sweep reads (callee pullbacks recompute from them) and
        // that the method writes: each element write saves the old element.
        _savedArrays.UnionWith(_arraysReadByPullbacks.Where(_writtenArrays.Contains));

        (List<IrStatement> forward, List<IrStatement> reverse) = BuildBlock(_method.Body, 0);
        var reverseSweep = new List<IrStatement>(SeedOutputs());
        reverseSweep.AddRange(FirstContributionsAssign(Rematerialization.Substitute(new Block(reverse.ToEquatableArray()), _rematerialized).Statements.ToList()));

        // The return reads the gradient's adjoints.
        IrExpression[] gradient = _method.Parameters
            .Where(p => p.IsDifferentiable && p.Array is null)
            .Select(p => _activity.IsActive(p.Name) ? Expr.Var(Adjoint(p.Name), p.Type) : (IrExpression)Expr.Constant(0, p.Type))
            .ToArray();
        string[] gradientReads = gradient.SelectMany(Variables.ReadBy).ToArray();

        // Loops whose trips are independent run each trip's reverse right after it: the tape holds one trip.
        List<IndependentTrips.Fused> fused;
        (forward, reverseSweep, fused) = IndependentTrips.Apply(
            forward, reverseSweep, gradientReads, _adjoints.Where(a => !_arrays.ContainsKey(a.Key)).ToDictionary(a => a.Value, a => a.Key));
        Block? forwardAlone = fused.Count == 0
            ? null
            : new Block(IndependentTrips.ForwardAlone(forward, fused, AddLocalInline).ToEquatableArray());

        // Values a call-free loop carries from trip to trip get locals of their own while it runs.
        Dictionary<string, ScalarType> adjointTypes = ScalarAdjointTypes();
        var scalarTypes = new Dictionary<string, ScalarType>(_types);
        foreach (KeyValuePair<string, ScalarType> adjoint in adjointTypes)
        {
            scalarTypes[adjoint.Key] = adjoint.Value;
        }

        var loopCopyOf = new Dictionary<string, string>();
        string DeclareLoopLocal(string name)
        {
            string copy = AddLocal(name + "_loop", scalarTypes[name], adjointTypes.ContainsKey(name) ? LocalRole.Derivative : LocalRole.Primal);
            loopCopyOf[copy] = name;
            return copy;
        }

        forward = LoopCarriedLocals.Apply(forward, DeclareLoopLocal, scalarTypes);
        reverseSweep = LoopCarriedLocals.Apply(reverseSweep, DeclareLoopLocal, scalarTypes);

        // Resets nothing reads again go (in fused loops too: the reverse sweep reads what they leave).
        reverseSweep = DeadAdjointResets.Drop(reverseSweep, adjointTypes, gradientReads);
        if (fused.Count > 0)
        {
            var readLater = new HashSet<string>(gradientReads);
            Variables.CollectReads(new Block(reverseSweep.ToEquatableArray()), readLater);
            forward = DeadAdjointResets.Drop(forward, adjointTypes, readLater);
        }

        // A negated adjoint read once takes its sign into that read (_d_x -= c * _d_b instead of _d_t0 = -_d_b; ...).
        Dictionary<string, int> mentions = NegatedAdjoints.CountMentions(forward.Concat(reverseSweep));
        var returned = new HashSet<string>(gradientReads);
        reverseSweep = NegatedAdjoints.Fold(reverseSweep, adjointTypes, mentions, returned);
        if (fused.Count > 0)
        {
            forward = NegatedAdjoints.Fold(forward, adjointTypes, mentions, returned);
        }

        // A reverse trip whose incoming adjoint is exactly zero only takes its values off the tape.
        var scalarAdjoints = new Dictionary<string, ScalarType>(adjointTypes);
        foreach (KeyValuePair<string, string> copy in loopCopyOf.Where(c => adjointTypes.ContainsKey(c.Value)))
        {
            scalarAdjoints[copy.Key] = adjointTypes[copy.Value];
        }

        var adjointArrays = new HashSet<string>(_adjoints.Where(a => _arrays.ContainsKey(a.Key)).Select(a => a.Value).Concat(_derivativeNames.Values));
        var zeroTrips = new ZeroAdjointTrips.Context(
            scalarAdjoints, adjointArrays, forward.Concat(reverseSweep).ToList(), returned, new HashSet<string>(loopCopyOf.Keys));
        reverseSweep = ZeroAdjointTrips.Apply(reverseSweep, zeroTrips);
        if (fused.Count > 0)
        {
            forward = ZeroAdjointTrips.Apply(forward, zeroTrips);
        }

        // Consecutive loops share one tape cursor (one reservation per trip of the loop around them, one reader); then
        // a counting loop's trips share one, made before the loop, as far out as calls allow.
        forward = TapeCursorHoisting.Apply(TapeCursorMerging.Apply(forward));
        reverseSweep = TapeCursorHoisting.Apply(TapeCursorMerging.Apply(reverseSweep));

        reverseSweep.AddRange(_resources.Releases);

        var body = new List<IrStatement>();
        body.Add(new CommentStatement("Forward sweep: the method as written, saving what the reverse sweep needs."));
        body.AddRange(forward);
        body.Add(new CommentStatement("Reverse sweep: adjoints flow from the result back to the parameters."));
        body.AddRange(reverseSweep);

        IrExpression? gradientValue = gradient.Length switch
        {
            0 => null,
            1 => gradient[0],
            _ => new TupleExpression(gradient.ToEquatableArray()),
        };
        IrExpression? value = _method.ReturnsValue ? Expr.Var(ValueName, _method.ReturnType) : null;
        body.Add(new ReturnStatement((value, gradientValue) switch
        {
            ({ } v, { } g) => new TupleExpression(EquatableArray.Create(v, g)),
            ({ } v, null) => v,
            (null, { } g) => g,
            _ => null,
        }));

        var locals = new List<LocalDeclaration>();
        locals.AddRange(_method.Locals.Select(l => new LocalDeclaration(l.Name, l.Type, LocalRole.Primal, l.Array is null ? null : _arrays[l.Name])));
        locals.AddRange(_extraLocals);
        locals.AddRange(_adjoints
            .Where(a => !(_arrays.ContainsKey(a.Key) && _derivativeNames.ContainsKey(a.Key) && !IsOutput(a.Key)))
            .Select(a => new LocalDeclaration(a.Value, _types[a.Key], LocalRole.Derivative, _arrays.TryGetValue(a.Key, out ArrayType? array) ? array with { Kind = ArrayKind.Array } : null)));

        var notes = new List<string>();
        // Fused loops may have dropped every push of a value, or of a whole tape.
        var pushed = new HashSet<string>();
        var tapesUsed = new HashSet<string>();
        CollectTapeUse(forward.Concat(reverseSweep), pushed, tapesUsed);
        TapeDeclaration[] tapes = _resources.Tapes.Where(t => tapesUsed.Contains(t.Name)).ToArray();
        var pushedValues = new HashSet<string>(pushed.Select(p => loopCopyOf.TryGetValue(p, out string? original) ? original : p));
        string[] taped = _saved.Where(_assignedInLoop.Contains)
            .Where(pushedValues.Contains)
            .OrderBy(n => n, System.StringComparer.Ordinal)
            .ToArray();
        if (taped.Length > 0)
        {
            notes.Add($"Values overwritten inside loops that the reverse sweep needs ({string.Join(", ", taped)}) are pushed on a tape in the forward sweep and popped in the reverse sweep; the tape is reused, so this allocates nothing in steady state.");
            string[] integers = taped.Where(n => _types[n] == ScalarType.Int).ToArray();
            if (integers.Length > 0 && _computesInDouble)
            {
                notes.Add($"The integers among them ({string.Join(", ", integers)}) go on the double tape, where every int is exact, and share its writers and readers.");
            }
        }

        if (fused.Count > 0)
        {
            notes.Add($"The trips of the loops over {string.Join(", ", fused.Select(f => f.Counter))} are independent (each writes what it reads, or only adds into a sum), so each trip's reverse runs right after it, in the forward sweep: the tape holds one trip's values at a time.");
            if (ContainsCall(new Block(forward.ToEquatableArray()), call => call.Target.Kind == CallKind.Pullback))
            {
                notes.Add("Inside those trips a call whose adjoints the trip also needs calls the callee's pullback once, for its value and its adjoints together.");
            }
        }

        if (_steppedBack.Count > 0)
        {
            notes.Add($"Integers stepped by a constant or an unassigned parameter ({string.Join(", ", _steppedBack.OrderBy(n => n, System.StringComparer.Ordinal))}) are stepped back in the reverse sweep instead of saved: undoing the step restores them exactly.");
        }

        if (_saved.Any(s => !_assignedInLoop.Contains(s)))
        {
            notes.Add("Values overwritten outside loops that the reverse sweep needs are saved in _saved_* locals.");
        }

        if (ContainsCall(_method.Body, call => call.Target.Kind == CallKind.Differentiable && !KeepsDerivative(call)))
        {
            notes.Add("Calls of other [Differentiable] methods are recomputed: their pullbacks rerun the callee's forward sweep.");
        }

        if (ContainsCall(_method.Body, KeepsDerivative))
        {
            notes.Add("Calls of [Differentiable] functions of one variable call their Gradient in the forward sweep; the derivative is kept for the reverse sweep.");
        }

        if (ContainsCall(_method.Body, call => call.Target.Kind == CallKind.SuppliedDerivative))
        {
            notes.Add("Supplied derivatives ([DerivativeOf]) are called once in the forward sweep; their partials are kept for the reverse sweep.");
        }

        var recomputed = _rematerialized.Keys.Where(n => ReadInReverse(n) && !_recomputation.StepTemporaries.Contains(n)).OrderBy(n => n, System.StringComparer.Ordinal).ToList();
        if (recomputed.Count > 0)
        {
            notes.Add($"Recomputed in the reverse sweep instead of stored ({string.Join(", ", recomputed)}): each is an element of an array the method does not write from there on, or an index, so reading it again is cheaper than taping it.");
        }

        var stepTemporaries = _rematerialized.Keys.Where(n => ReadInReverse(n) && _recomputation.StepTemporaries.Contains(n)).OrderBy(n => n, System.StringComparer.Ordinal).ToList();
        if (stepTemporaries.Count > 0)
        {
            notes.Add($"Recomputed in the reverse sweep from restored values instead of taped ({string.Join(", ", stepTemporaries)}): a multiply or an add costs less than a push and a pop. Where a loop step overwrites their inputs, its reverse restores the old value before taking the partials.");
        }

        if (loopCopyOf.Count > 0)
        {
            notes.Add("A value a loop carries from trip to trip lives in a *_loop local while the loop runs, so the JIT keeps it in a register; it is copied in before the loop and back after it.");
        }

        if (_resources.UsesScratch)
        {
            notes.Add("Local arrays and their adjoints are rented from per-thread scratch arrays (zero-filled) and released before returning, so this allocates nothing in steady state.");
        }

        return new GeneratedBody(
            locals.ToEquatableArray(),
            tapes.ToEquatableArray(),
            _resources.Scratch,
            new Block(body.ToEquatableArray()),
            notes.ToEquatableArray(),
            new Block(forward.ToEquatableArray()),
            new Block(reverseSweep.ToEquatableArray()),
            gradientValue,
            forwardAlone);
    }

    /// <summary>Whether the reverse sweep reads a (recomputed) value: some partial, index or argument used it before substitution.</summary>
    private bool ReadInReverse(string name) => _recomputedReads.Contains(name);

    private bool IsOutput(string name) => _method.Parameters.Any(p => p.Name == name && p.IsOutput);

    /// <summary>The reverse sweep starts from the outputs' seeds, copied into writable adjoint buffers.</summary>
    private IEnumerable<IrStatement> SeedOutputs()
    {
        foreach (ParameterIr output in _method.Parameters.Where(p => p.IsOutput && _activity.IsActive(p.Name)))
        {
            string adjoint = Adjoint(output.Name);
            yield return new AssignStatement(adjoint, Rent(output.Type, new LengthExpression(output.Name, 0, 1)));
            yield return new CopyArrayStatement(_derivativeNames[output.Name], adjoint);
        }
    }

    private string? _valueName;

    private string ValueName => _valueName ??= AddLocal("_value", _method.ReturnType, LocalRole.Primal);

    private RentArrayExpression Rent(ScalarType element, params IrExpression[] sizes) => _resources.Rent(element, sizes);

    private string UseTape(string elementType) => _resources.Tape(elementType);

    private string Adjoint(string name)
    {
        if (!_adjoints.TryGetValue(name, out string? adjoint))
        {
            // An input array's adjoint is the caller's buffer; everything else gets a local.
            adjoint = _arrays.ContainsKey(name) && _derivativeNames.TryGetValue(name, out string? buffer) && !IsOutput(name)
                ? buffer
                : _names.Allocate("_d_" + name.TrimStart('_'));
            _adjoints[name] = adjoint;
        }

        return adjoint;
    }

    private string AddLocal(string preferred, ScalarType type, LocalRole role, bool numbered = false)
    {
        string name = numbered ? _names.AllocateNumbered(preferred) : _names.Allocate(preferred);
        _extraLocals.Add(new LocalDeclaration(name, type, role));
        _types[name] = type;
        return name;
    }

    // ---- Pass 1: what is assigned where, what the reverse sweep reads, which loops are canonical.

    private void Prepare(Block block, int loopDepth, HashSet<string> assignedBefore)
    {
        foreach (IrStatement statement in block.Statements)
        {
            _currentStatement = statement;
            _sites[statement] = new Site(statement, _position++, _loops.ToArray());
            switch (statement)
            {
                case ElementAssignStatement element:
                    _writtenArrays.Add(element.Array);
                    if (_activity.IsActive(element.Array) || _arraysReadByPullbacks.Contains(element.Array))
                    {
                        foreach (IrExpression index in element.Indices)
                        {
                            CollectNeeded(index);
                        }
                    }

                    break;
                case AllocateArrayStatement allocation:
                    _assignmentCount[allocation.Name] = _assignmentCount.TryGetValue(allocation.Name, out int allocations) ? allocations + 1 : 1;
                    if (loopDepth > 0)
                    {
                        _assignedInLoop.Add(allocation.Name);
                    }

                    break;
                case AssignStatement assign:
                    _assignmentCount[assign.Target] = _assignmentCount.TryGetValue(assign.Target, out int count) ? count + 1 : 1;
                    if (loopDepth > 0)
                    {
                        _assignedInLoop.Add(assign.Target);
                    }
                    else if (!assignedBefore.Contains(assign.Target) && !_method.Parameters.Any(p => p.Name == assign.Target))
                    {
                        _initialAssignments.Add(assign);
                    }

                    assignedBefore.Add(assign.Target);
                    CollectNeeds(assign, loopDepth);
                    break;
                case IfStatement branch:
                    Prepare(branch.Then, loopDepth, assignedBefore);
                    Prepare(branch.Else, loopDepth, assignedBefore);
                    break;
                case WhileStatement loop:
                    _loops.Add(loop);
                    Prepare(loop.Body, loopDepth + 1, assignedBefore);
                    _loops.RemoveAt(_loops.Count - 1);
                    break;
                case DoWhileStatement loop:
                    _loops.Add(loop);
                    Prepare(loop.Body, loopDepth + 1, assignedBefore);
                    _loops.RemoveAt(_loops.Count - 1);
                    break;
                case ForStatement loop:
                    if (_canonicalLoops.TryGetValue(loop, out CanonicalLoop? canonical))
                    {
                        CollectNeeded(canonical.Start);
                        CollectNeeded(canonical.Bound);
                    }

                    Prepare(loop.Initializer, loopDepth, assignedBefore);
                    _loops.Add(loop);
                    Prepare(loop.Step, loopDepth + 1, assignedBefore);
                    Prepare(loop.Body, loopDepth + 1, assignedBefore);
                    _loops.RemoveAt(_loops.Count - 1);
                    break;
            }
        }
    }

    private void CollectNeeds(AssignStatement assign, int loopDepth)
    {
        if (!_activity.IsActive(assign.Target))
        {
            return;
        }

        switch (assign.Value)
        {
            case ElementExpression element:
                foreach (IrExpression index in element.Indices)
                {
                    CollectNeeded(index);
                }

                break;
            case CallExpression { Target.Kind: CallKind.Differentiable } call when !KeepsDerivative(call):
                foreach (IrExpression argument in call.Arguments)
                {
                    CollectNeeded(argument);
                }

                break;
            case CallExpression { Target.Kind: CallKind.SuppliedDerivative or CallKind.Differentiable } call:
                var partials = new string[call.Arguments.Count];
                for (int i = 0; i < call.Arguments.Count; i++)
                {
                    if (call.Target.Parameters[i].IsDifferentiable && _activity.IsActive(call.Arguments[i]))
                    {
                        partials[i] = AddLocal($"_d{assign.Target}_d{call.Target.Parameters[i].Name}", call.Type, LocalRole.Primal);
                        _needed.Add(partials[i]);
                        if (loopDepth > 0)
                        {
                            _assignedInLoop.Add(partials[i]);
                        }
                    }
                }

                _suppliedPartials[assign] = partials;
                break;
            default:
                // Only partials that reach an adjoint are computed in the reverse sweep.
                IReadOnlyList<IrExpression> operands = DerivativeRules.Operands(assign.Value);
                IrExpression?[] operandPartials = DerivativeRules.Partials(assign.Value, Expr.Var(assign.Target, assign.Value.Type));
                for (int i = 0; i < operands.Count; i++)
                {
                    if (operandPartials[i] is { } partial && _activity.IsActive(operands[i]))
                    {
                        CollectNeeded(partial);
                    }
                }

                break;
        }
    }

    /// <summary>Marks what the reverse sweep reads of an expression, after recomputed values are substituted.</summary>
    private readonly HashSet<string> _recomputedReads = new();

    private void CollectNeeded(IrExpression expression)
    {
        _recomputedReads.UnionWith(Variables.ReadBy(expression).Where(_rematerialized.ContainsKey));
        IrExpression substituted = Rematerialization.Substitute(expression, _rematerialized);
        Variables.CollectReads(substituted, _needed);
        if (_currentStatement is not null && _sites.TryGetValue(_currentStatement, out Site? site))
        {
            foreach (string name in ContentReads(substituted))
            {
                if (!_readers.TryGetValue(name, out List<Site>? readers))
                {
                    _readers[name] = readers = new List<Site>();
                }

                readers.Add(site);
            }
        }
    }

    /// <summary>Values an expression reads; an array's length alone does not count as reading its elements.</summary>
    private static HashSet<string> ContentReads(IrExpression expression)
    {
        var names = Variables.ReadBy(expression);
        var lengthsOnly = new HashSet<string>();
        void Visit(IrExpression e)
        {
            switch (e)
            {
                case LengthExpression length:
                    lengthsOnly.Add(length.Array);
                    break;
                case ElementExpression element:
                    lengthsOnly.Remove(element.Array);
                    break;
            }
        }

        Visit(expression);
        names.ExceptWith(lengthsOnly.Where(a => !ContainsContentRead(expression, a)));
        return names;
    }

    private static bool ContainsContentRead(IrExpression expression, string array)
    {
        bool found = false;
        void Visit(IrExpression? e)
        {
            switch (e)
            {
                case ElementExpression element when element.Array == array:
                case ArrayReferenceExpression reference when reference.Name == array:
                case VariableExpression variable when variable.Name == array:
                    found = true;
                    break;
                case ElementExpression element:
                    foreach (IrExpression index in element.Indices) Visit(index);
                    break;
                case UnaryExpression unary: Visit(unary.Operand); break;
                case BinaryExpression binary: Visit(binary.Left); Visit(binary.Right); break;
                case CastExpression cast: Visit(cast.Operand); break;
                case ConditionalExpression conditional: Visit(conditional.Condition); Visit(conditional.WhenTrue); Visit(conditional.WhenFalse); break;
                case IntrinsicExpression intrinsic: foreach (IrExpression a in intrinsic.Arguments) Visit(a); break;
                case CallExpression call: foreach (IrExpression a in call.Arguments) Visit(a); break;
            }
        }

        Visit(expression);
        return found;
    }

    /// <summary>
    /// The reverse of <c>i = i + c</c> or <c>i = i - c</c> for an <see cref="ScalarType.Int"/> i and a step c that
    /// cannot change (a constant or a parameter the method never assigns): <c>i = i - c</c> or <c>i = i + c</c>.
    /// Integer addition wraps around (or, checked, threw in the forward sweep), so the old value comes back exactly.
    /// Null for any other assignment.
    /// </summary>
    private AssignStatement? SteppedBack(AssignStatement assign)
    {
        if (assign.Accumulate || _types[assign.Target] != ScalarType.Int
            || assign.Value is not BinaryExpression { Operator: BinaryOperator.Add or BinaryOperator.Subtract } step)
        {
            return null;
        }

        bool Fixed(IrExpression e) => e switch
        {
            ConstantExpression => true,
            VariableExpression v => v.Name != assign.Target && _method.Parameters.Any(p => p.Name == v.Name)
                && _assignmentCount.TryGetValue(v.Name, out int count) && count == 1,
            _ => false,
        };
        bool IsTarget(IrExpression e) => e is VariableExpression v && v.Name == assign.Target;

        IrExpression? by = step.Operator == BinaryOperator.Subtract
            ? (IsTarget(step.Left) && Fixed(step.Right) ? step.Right : null)
            : IsTarget(step.Left) && Fixed(step.Right) ? step.Right
            : IsTarget(step.Right) && Fixed(step.Left) ? step.Left : null;
        if (by is null)
        {
            return null;
        }

        BinaryOperator inverse = step.Operator == BinaryOperator.Add ? BinaryOperator.Subtract : BinaryOperator.Add;
        return new AssignStatement(assign.Target, new BinaryExpression(inverse, Expr.Var(assign.Target, ScalarType.Int), by, ScalarType.Int));
    }

    /// <summary>
    /// Whether an assignment must save the value it overwrites: some statement whose reverse sweep reads
    /// the variable may run before it (earlier in the method, or in another trip of a loop they share),
    /// or its own reverse reads the old value (it reads the variable it writes).
    /// </summary>
    private bool NeedsSave(IrStatement statement, string name)
    {
        if (!_readers.TryGetValue(name, out List<Site>? readers) || !_sites.TryGetValue(statement, out Site? site) || _inductionVariables.Contains(name))
        {
            return false;
        }

        foreach (Site reader in readers)
        {
            if (ReferenceEquals(reader.Statement, statement))
            {
                bool readsOldValue = statement is AssignStatement assign && Variables.ReadBy(assign.Value).Contains(name);
                if (readsOldValue || site.Loops.Length > 0)
                {
                    return true;
                }

                continue;
            }

            if (reader.Position < site.Position || reader.SharesLoopWith(site))
            {
                return true;
            }
        }

        return false;
    }

    private void FindCanonicalLoops(Block block)
    {
        foreach (IrStatement statement in block.Statements)
        {
            switch (statement)
            {
                case ForStatement loop:
                    if (CanonicalLoop.Match(loop, _method.Body) is { } canonical)
                    {
                        _canonicalLoops[loop] = canonical;
                        _inductionVariables.Add(canonical.Counter);
                    }

                    FindCanonicalLoops(loop.Body);
                    break;
                case IfStatement branch:
                    FindCanonicalLoops(branch.Then);
                    FindCanonicalLoops(branch.Else);
                    break;
                case WhileStatement loop:
                    FindCanonicalLoops(loop.Body);
                    break;
                case DoWhileStatement loop:
                    FindCanonicalLoops(loop.Body);
                    break;
            }
        }
    }

    // ---- Pass 2: forward and reverse sweeps.

    private (List<IrStatement> Forward, List<IrStatement> Reverse) BuildBlock(Block block, int loopDepth)
    {
        var forward = new List<IrStatement>();
        var reversed = new List<List<IrStatement>>();
        foreach (IrStatement statement in block.Statements)
        {
            (List<IrStatement> f, List<IrStatement> r) = BuildStatement(statement, loopDepth);
            forward.AddRange(f);
            reversed.Add(r);
        }

        reversed.Reverse();
        return (forward, reversed.SelectMany(r => r).ToList());
    }

    private (List<IrStatement> Forward, List<IrStatement> Reverse) BuildStatement(IrStatement statement, int loopDepth) => statement switch
    {
        AssignStatement assign => BuildAssignment(assign, loopDepth),
        ElementAssignStatement element => BuildElementAssignment(element, loopDepth),
        AllocateArrayStatement allocation => BuildAllocation(allocation, loopDepth),
        IfStatement branch => BuildIf(branch, loopDepth),
        WhileStatement loop => BuildLoop(loop.Body, loopDepth, body => new WhileStatement(loop.Condition, body)),
        DoWhileStatement loop => BuildLoop(loop.Body, loopDepth, body => new DoWhileStatement(body, loop.Condition)),
        ForStatement loop => BuildFor(loop, loopDepth),
        ReturnStatement ret => BuildReturn(ret),
        _ => (new List<IrStatement> { statement }, new List<IrStatement>()),
    };

    private (List<IrStatement>, List<IrStatement>) BuildAssignment(AssignStatement assign, int loopDepth)
    {
        var forward = new List<IrStatement>();
        var restores = new List<IrStatement>();
        string target = assign.Target;
        ScalarType type = _types[target];

        void Save(string name, ScalarType valueType)
        {
            if (loopDepth > 0 && valueType == ScalarType.Int && _computesInDouble)
            {
                // On the double tape, exactly: the int then shares the cursors of the doubles saved around it, where a
                // tape of its own would add a writer and a reader (four more live registers) to the loop for one value.
                string tape = UseTape(ScalarType.Double.ToCSharp());
                forward.Add(new TapePushStatement(tape, Expr.Var(name, valueType)));
                restores.Insert(0, new AssignStatement(name, new TapePopExpression(tape, valueType, FromDoubleTape: true)));
            }
            else if (loopDepth > 0)
            {
                string tape = UseTape(valueType.ToCSharp());
                forward.Add(new TapePushStatement(tape, Expr.Var(name, valueType)));
                restores.Insert(0, new AssignStatement(name, new TapePopExpression(tape, valueType)));
            }
            else
            {
                string saved = AddLocal("_saved_" + name, valueType, LocalRole.Saved);
                forward.Add(new AssignStatement(saved, Expr.Var(name, valueType)));
                restores.Insert(0, new AssignStatement(name, Expr.Var(saved, valueType)));
            }
        }

        if (NeedsSave(assign, target))
        {
            if (SteppedBack(assign) is { } stepBack)
            {
                // An integer stepped by a fixed amount: stepping it back restores it exactly, with no tape.
                _steppedBack.Add(target);
                restores.Insert(0, stepBack);
            }
            else
            {
                _saved.Add(target);
                Save(target, type);
            }
        }

        if (_suppliedPartials.TryGetValue(assign, out string[]? partials))
        {
            var call = (CallExpression)assign.Value;
            foreach (string partial in partials.Where(p => p is not null && _savedCandidates.Contains(p) && loopDepth > 0))
            {
                Save(partial, call.Type);
            }

            // One slot per differentiable parameter; partials nobody needs are called.
            IEnumerable<string> slots = call.Target.Parameters
                .Select((parameter, index) => (parameter, index))
                .Where(p => p.parameter.IsDifferentiable)
                .Select(p => partials[p.index] ?? "_");
            forward.Add(new DeconstructStatement(new[] { target }.Concat(slots).ToEquatableArray(), SuppliedDerivativeCall(call)));
        }
        else
        {
            forward.Add(assign);
        }

        var reverse = new List<IrStatement>();
        if (!_activity.IsActive(target))
        {
            reverse.AddRange(restores);
            return (forward, reverse);
        }

        string adjoint = Adjoint(target);
        var adjointValue = Expr.Var(adjoint, type);
        var contributions = new List<(string Operand, IrExpression Value)>();
        var prelude = new List<IrStatement>();
        switch (assign.Value)
        {
            case ElementExpression element:
                // t = a[i]: the element's adjoint receives t's.
                if (_activity.IsActive(element.Array))
                {
                    prelude.Add(new ElementAssignStatement(Adjoint(element.Array), element.Indices, Expr.Cast(adjointValue, element.Type), Accumulate: true));
                }

                break;
            case CallExpression { Target.Kind: CallKind.Differentiable } call when partials is null:
                AddPullbackContributions(call, adjointValue, prelude, contributions);
                break;
            case CallExpression { Target.Kind: CallKind.SuppliedDerivative or CallKind.Differentiable } call:
                for (int i = 0; i < call.Arguments.Count; i++)
                {
                    if (partials![i] is { } partial && call.Arguments[i] is VariableExpression argument)
                    {
                        contributions.Add((argument.Name, Expr.Multiply(Expr.Var(partial, call.Type), adjointValue)));
                    }
                }

                break;
            default:
                IReadOnlyList<IrExpression> operands = DerivativeRules.Operands(assign.Value);
                IrExpression?[] partialValues = DerivativeRules.Partials(assign.Value, Expr.Var(target, type));
                for (int i = 0; i < operands.Count; i++)
                {
                    if (partialValues[i] is { } partial && operands[i] is VariableExpression operand && _activity.IsActive(operand.Name))
                    {
                        contributions.Add((operand.Name, Expr.Multiply(partial, adjointValue)));
                    }
                }

                break;
        }

        // The value reads the variable it overwrites (as an operand, a callee's argument, or inside a
        // condition whose derivative is zero): its partials need the old value.
        bool selfReferencing = contributions.Any(c => c.Operand == target) || Variables.ReadBy(assign.Value).Contains(target);
        var accumulate = new List<IrStatement>();
        foreach (IGrouping<string, (string Operand, IrExpression Value)> group in contributions.GroupBy(c => c.Operand).Where(g => g.Key != target))
        {
            IrExpression sum = Expr.Cast(SumOfContributions(group.Select(c => c.Value).ToList(), adjointValue)!, _types[group.Key]);
            accumulate.Add(new AssignStatement(Adjoint(group.Key), sum, Accumulate: true));
        }

        IrExpression? own = SumOfContributions(contributions.Where(c => c.Operand == target).Select(c => c.Value).ToList(), adjointValue);
        if (selfReferencing)
        {
            // The old value is needed by the partials: restore it first, then replace the adjoint.
            reverse.AddRange(restores);
            reverse.AddRange(prelude);
            reverse.AddRange(accumulate);
            IrExpression ownAdjoint = own is null ? Expr.Constant(0, type) : Expr.Cast(own, type);
            if (!ownAdjoint.Equals(adjointValue))
            {
                reverse.Add(new AssignStatement(adjoint, ownAdjoint));
            }
        }
        else
        {
            // A recomputed temporary read here was defined from the old value: restore it before the partials.
            bool restoreFirst = _recomputation.RestoreFirst.Contains(assign);
            if (restoreFirst && restores.Count == 0 && ReadsAfterRecomputation(prelude.Concat(accumulate), target))
            {
                throw new System.InvalidOperationException($"The reverse sweep of '{target} = ...' must restore '{target}' before its partials, but nothing saved it");
            }

            if (restoreFirst)
            {
                reverse.AddRange(restores);
            }

            reverse.AddRange(prelude);
            reverse.AddRange(accumulate);
            if (NeedsAdjointReset(target) && !_initialAssignments.Contains(assign))
            {
                reverse.Add(new AssignStatement(adjoint, Expr.Constant(0, type)));
            }

            if (!restoreFirst)
            {
                reverse.AddRange(restores);
            }
        }

        return (forward, reverse);
    }

    /// <summary>
    /// The sum of one operand's contributions, with the adjoint they all multiply factored out:
    /// <c>(a + a) * _d_t</c> for <c>a * a</c>, one multiply where there were two.
    /// </summary>
    private static IrExpression? SumOfContributions(List<IrExpression> contributions, IrExpression adjointValue) =>
        contributions.Count > 1 && contributions.All(c => c is BinaryExpression { Operator: BinaryOperator.Multiply } product && product.Right.Equals(adjointValue))
            ? Expr.Multiply(Expr.Sum(contributions.Select(c => ((BinaryExpression)c).Left))!, adjointValue)
            : Expr.Sum(contributions);

    /// <summary>Whether reverse statements read <paramref name="name"/> once recomputed values are substituted in.</summary>
    private bool ReadsAfterRecomputation(IEnumerable<IrStatement> statements, string name)
    {
        var reads = new HashSet<string>();
        Variables.CollectReads(Rematerialization.Substitute(new Block(statements.ToEquatableArray()), _rematerialized), reads);
        return reads.Contains(name);
    }

    private void AddPullbackContributions(CallExpression call, IrExpression seed, List<IrStatement> reverse, List<(string, IrExpression)> contributions)
    {
        var differentiable = call.Target.Parameters.Select((p, i) => (Parameter: p, Index: i)).Where(p => p.Parameter.IsDifferentiable && p.Parameter.Array is null).ToList();

        // Array arguments come with adjoint buffers the callee adds into: ours where the array is active, else a throw-away one.
        IEnumerable<IrExpression> buffers = call.Target.Parameters
            .Select((p, i) => (Parameter: p, Argument: call.Arguments[i]))
            .Where(p => p.Parameter.IsDifferentiable && p.Parameter.Array is not null)
            .Select(p => p.Argument is ArrayReferenceExpression array && _activity.IsActive(array.Name)
                ? (IrExpression)Expr.Var(Adjoint(array.Name), ScalarType.Inferred)
                : Rent(p.Parameter.Type, SweepResources.SizesOf((ArrayReferenceExpression)p.Argument)));
        var pullback = new CallExpression(
            call.Target with
            {
                // The callee's backward core: only the adjoints, with no value and no aliasing checks.
                MethodName = call.Target.MethodName + "Backward",
                Kind = CallKind.Backward,
            },
            call.Arguments.AddRange(buffers).Add(seed),
            ScalarType.Inferred,
            null);
        if (differentiable.Count == 0)
        {
            reverse.Add(new CallStatement(pullback));
            return;
        }

        string gradient = AddLocalInline("_g");
        reverse.Add(new DeclareStatement(gradient, ScalarType.Inferred, pullback));
        foreach ((CallParameter parameter, int index) in differentiable)
        {
            if (call.Arguments[index] is VariableExpression argument && _activity.IsActive(argument.Name))
            {
                IrExpression value = differentiable.Count == 1
                    ? Expr.Var(gradient, parameter.Type)
                    : new MemberAccessExpression(Expr.Var(gradient, ScalarType.Inferred), parameter.Name, parameter.Type);
                contributions.Add((argument.Name, value));
            }
        }
    }

    private string AddLocalInline(string prefix) => _names.AllocateNumbered(prefix);

    /// <summary><c>a[i] = v</c> or <c>a[i] += v</c>: the element's adjoint flows to v.</summary>
    private (List<IrStatement>, List<IrStatement>) BuildElementAssignment(ElementAssignStatement element, int loopDepth)
    {
        var forward = new List<IrStatement>();
        var reverse = new List<IrStatement>();
        var restores = new List<IrStatement>();
        if (_savedArrays.Contains(element.Array) && NeedsSave(element, element.Array))
        {
            string tape = UseTape(_types[element.Array].ToCSharp());
            forward.Add(new TapePushStatement(tape, new ElementExpression(element.Array, element.Indices, _types[element.Array])));
            restores.Add(new ElementAssignStatement(element.Array, element.Indices, new TapePopExpression(tape, _types[element.Array])));
        }

        forward.Add(element);
        if (_activity.IsActive(element.Array))
        {
            string adjoint = Adjoint(element.Array);
            var adjointElement = new ElementExpression(adjoint, element.Indices, _types[element.Array]);
            if (element.Value is VariableExpression value && _activity.IsActive(value.Name))
            {
                reverse.Add(new AssignStatement(Adjoint(value.Name), Expr.Cast(adjointElement, _types[value.Name]), Accumulate: true));
            }

            if (!element.Accumulate)
            {
                // The overwritten element's old value did not reach the result.
                reverse.Add(new ElementAssignStatement(adjoint, element.Indices, Expr.Constant(0, _types[element.Array])));
            }
        }

        reverse.AddRange(restores);
        return (forward, reverse);
    }

    /// <summary>A local array: rented zero-filled, with a zero-filled adjoint when it is active.</summary>
    private (List<IrStatement>, List<IrStatement>) BuildAllocation(AllocateArrayStatement allocation, int loopDepth)
    {
        var forward = new List<IrStatement>();
        var reverse = new List<IrStatement>();
        bool active = _activity.IsActive(allocation.Name);
        var arrays = new List<string>();
        if (_needed.Contains(allocation.Name) || _savedArrays.Contains(allocation.Name))
        {
            arrays.Add(allocation.Name);
        }

        if (active)
        {
            arrays.Add(Adjoint(allocation.Name));
        }

        if (loopDepth > 0)
        {
            // A new array each trip: the reverse sweep must get back the one each trip used.
            string tape = UseTape(_arrays[allocation.Name].ToCSharp());
            foreach (string array in arrays)
            {
                forward.Add(new TapePushStatement(tape, Expr.Var(array, ScalarType.Inferred)));
                reverse.Insert(0, new AssignStatement(array, new TapePopExpression(tape, ScalarType.Inferred)));
            }
        }

        IrExpression[] sizes = allocation.Sizes.ToArray();
        forward.Add(new AssignStatement(allocation.Name, Rent(allocation.Type.Element, sizes)));
        if (active)
        {
            forward.Add(new AssignStatement(Adjoint(allocation.Name), Rent(allocation.Type.Element, sizes)));
        }

        return (forward, reverse);
    }

    /// <summary>
    /// The call that returns the value and the partials in one go: the supplied derivative, or the generated
    /// <c>{Method}Gradient</c> of a callee whose derivative is kept (<see cref="KeepsDerivative"/>).
    /// </summary>
    private static CallExpression SuppliedDerivativeCall(CallExpression call) =>
        new(
            call.Target.Kind == CallKind.Differentiable
                ? call.Target with { MethodName = call.Target.MethodName + "Gradient", Kind = CallKind.Generated }
                : call.Target with { TypeName = call.Target.Derivative!.TypeName, MethodName = call.Target.Derivative.MethodName, IsInstance = !call.Target.Derivative.IsStatic, Kind = CallKind.Generated },
            call.Arguments,
            ScalarType.Inferred,
            null);

    /// <summary>
    /// A call of a [Differentiable] scalar function of one differentiable scalar (an activation, say), whose argument
    /// carries a gradient: the forward sweep calls its <c>Gradient</c> and keeps the derivative, like a supplied
    /// derivative's partial, instead of the reverse sweep running its pullback, which would compute its forward
    /// sweep a second time. With more parameters the pullback stays: one call there gives every partial.
    /// </summary>
    private bool KeepsDerivative(CallExpression call) =>
        call.Target.Kind == CallKind.Differentiable
        && call.Type is ScalarType.Float or ScalarType.Double
        && call.Target.Parameters.All(p => p.Array is null)
        && call.Target.Parameters.Count(p => p.IsDifferentiable) == 1
        && call.Arguments.Where((argument, i) => call.Target.Parameters[i].IsDifferentiable).All(_activity.IsActive);

    /// <summary>The adjoint of an older value of the variable starts from zero, unless there is no older value.</summary>
    private bool NeedsAdjointReset(string name) =>
        _assignedInLoop.Contains(name)
        || (_assignmentCount.TryGetValue(name, out int count) && count > 1);

    private (List<IrStatement>, List<IrStatement>) BuildIf(IfStatement branch, int loopDepth)
    {
        (List<IrStatement> thenForward, List<IrStatement> thenReverse) = BuildBlock(branch.Then, loopDepth);
        (List<IrStatement> elseForward, List<IrStatement> elseReverse) = BuildBlock(branch.Else, loopDepth);
        if (thenReverse.Count == 0 && elseReverse.Count == 0)
        {
            return (new List<IrStatement> { new IfStatement(branch.Condition, ToBlock(thenForward), ToBlock(elseForward)) }, new List<IrStatement>());
        }

        // Record which branch ran; the reverse sweep replays the same one.
        string taken = AddLocal("_branch", ScalarType.Bool, LocalRole.ControlFlow, numbered: true);
        var takenValue = Expr.Var(taken, ScalarType.Bool);
        var forward = new List<IrStatement>
        {
            new AssignStatement(taken, branch.Condition),
            new IfStatement(takenValue, ToBlock(thenForward), ToBlock(elseForward)),
        };
        var reverse = new List<IrStatement>();
        if (loopDepth > 0)
        {
            string tape = UseTape("bool");
            forward.Add(new TapePushStatement(tape, takenValue));
            reverse.Add(new AssignStatement(taken, new TapePopExpression(tape, ScalarType.Bool)));
        }

        reverse.Add(new IfStatement(takenValue, ToBlock(thenReverse), ToBlock(elseReverse)));
        return (forward, reverse);
    }

    private (List<IrStatement>, List<IrStatement>) BuildLoop(Block body, int loopDepth, System.Func<Block, IrStatement> rebuild)
    {
        (List<IrStatement> bodyForward, List<IrStatement> bodyReverse) = BuildBlock(body, loopDepth + 1);
        if (bodyReverse.Count == 0)
        {
            return (new List<IrStatement> { rebuild(ToBlock(bodyForward)) }, new List<IrStatement>());
        }

        // Count the trips; the reverse sweep runs the body's adjoint as many times.
        string trips = AddLocal("_trips", ScalarType.Int, LocalRole.ControlFlow, numbered: true);
        var tripsValue = Expr.Var(trips, ScalarType.Int);
        var one = ConstantExpression.Of(1, ScalarType.Int);
        bodyForward.Insert(0, new AssignStatement(trips, new BinaryExpression(BinaryOperator.Add, tripsValue, one, ScalarType.Int)));
        var forward = new List<IrStatement>
        {
            new AssignStatement(trips, ConstantExpression.Of(0, ScalarType.Int)),
            rebuild(ToBlock(bodyForward)),
        };
        var reverse = new List<IrStatement>();
        if (loopDepth > 0)
        {
            string tape = UseTape("int");
            forward.Add(new TapePushStatement(tape, tripsValue));
            reverse.Add(new AssignStatement(trips, new TapePopExpression(tape, ScalarType.Int)));
        }

        reverse.Add(new ForStatement(
            Block.Empty,
            Expr.Compare(BinaryOperator.Greater, tripsValue, ConstantExpression.Of(0, ScalarType.Int)),
            ToBlock(new List<IrStatement> { new AssignStatement(trips, new BinaryExpression(BinaryOperator.Subtract, tripsValue, one, ScalarType.Int)) }),
            ToBlock(bodyReverse)));
        return (forward, reverse);
    }

    private (List<IrStatement>, List<IrStatement>) BuildFor(ForStatement loop, int loopDepth)
    {
        if (_canonicalLoops.TryGetValue(loop, out CanonicalLoop? canonical))
        {
            (List<IrStatement> bodyForward, List<IrStatement> bodyReverse) = BuildBlock(loop.Body, loopDepth + 1);
            (List<IrStatement> forward, List<IrStatement> commits, var reserved) = TapeReservation.ReserveTapeRoom(bodyForward, canonical, AddLocalInline);
            forward.Add(loop with { Body = ToBlock(bodyForward) });
            forward.AddRange(commits);
            var reverse = new List<IrStatement>();
            if (bodyReverse.Count > 0)
            {
                (List<IrStatement> readers, List<IrStatement> readerCommits) = TapeReservation.ReadReservedTapes(bodyReverse, reserved, AddLocalInline);
                reverse.AddRange(readers);
                reverse.Add(canonical.Reversed(ToBlock(bodyReverse)));
                reverse.AddRange(readerCommits);
            }

            return (forward, reverse);
        }

        // Any other for loop is its initializer followed by a while loop whose body ends with the step.
        (List<IrStatement> initForward, List<IrStatement> initReverse) = BuildBlock(loop.Initializer, loopDepth);
        Block whileBody = new(loop.Body.Statements.AddRange(loop.Step.Statements));
        (List<IrStatement> loopForward, List<IrStatement> loopReverse) = BuildLoop(
            whileBody,
            loopDepth,
            body => new WhileStatement(loop.Condition ?? ConstantExpression.Of(1, ScalarType.Bool), body));
        if (loopReverse.Count == 0 && initReverse.Count == 0 && initForward.All(s => s is AssignStatement))
        {
            return (new List<IrStatement> { loop }, new List<IrStatement>());
        }

        initForward.AddRange(loopForward);
        loopReverse.AddRange(initReverse);
        return (initForward, loopReverse);
    }

    private (List<IrStatement>, List<IrStatement>) BuildReturn(ReturnStatement ret)
    {
        if (ret.Value is null)
        {
            return (new List<IrStatement>(), new List<IrStatement>());
        }

        var forward = new List<IrStatement> { new AssignStatement(ValueName, ret.Value) };
        var reverse = new List<IrStatement>();
        if (ret.Value is VariableExpression returned && _activity.IsActive(returned.Name))
        {
            reverse.Add(new AssignStatement(Adjoint(returned.Name), Expr.Var(_seed, ret.Value.Type), Accumulate: true));
        }

        return (forward, reverse);
    }

    private static Block ToBlock(List<IrStatement> statements) => new(statements.ToEquatableArray());

    /// <summary>Each scalar adjoint's name and type (array adjoints are buffers and left out).</summary>
    private Dictionary<string, ScalarType> ScalarAdjointTypes() =>
        _adjoints.Where(a => !_arrays.ContainsKey(a.Key)).ToDictionary(a => a.Value, a => _types[a.Key]);

    /// <summary>
    /// Adjoints start at zero, and a loop body's adjoints are zero again where the body resets them, so the
    /// first <c>_d_a += e</c> after a point where <c>_d_a</c> is known to be zero can be <c>_d_a = e</c>
    /// (clearer to read, and an addition less on the loop's critical path); a reset that such an assignment
    /// overwrites is dropped. Inside loops, each step's adjoints are then preaccumulated into one update.
    /// </summary>
    private List<IrStatement> FirstContributionsAssign(List<IrStatement> reverse)
    {
        // Scalar adjoints only: an array's adjoint is a buffer, never reset as a whole here.
        Dictionary<string, ScalarType> adjoints = ScalarAdjointTypes();
        var zero = new HashSet<string>(adjoints.Keys);
        var adjointArrays = new HashSet<string>(_adjoints.Where(a => _arrays.ContainsKey(a.Key)).Select(a => a.Value).Concat(_derivativeNames.Values));
        List<IrStatement> assigned = KnownZeroAdjoints.DropOverwrittenResets(KnownZeroAdjoints.AssignWhereZero(reverse, zero, adjoints), adjoints);
        return AdjointPreaccumulation.Apply(assigned, adjoints, adjointArrays);
    }

    /// <summary>The variables pushed on tapes, and the tapes any statement pushes, pops, reserves or reads.</summary>
    private static void CollectTapeUse(IEnumerable<IrStatement> statements, HashSet<string> pushed, HashSet<string> tapes) =>
        Variables.ForEachSimpleStatement(new Block(statements.ToEquatableArray()), 0, (statement, _) =>
        {
            switch (statement)
            {
                case TapePushStatement push:
                    tapes.Add(push.Tape);
                    Variables.CollectReads(push.Value, pushed);
                    break;
                case TapeReserveStatement reserve:
                    tapes.Add(reserve.Tape);
                    break;
                case TapeReaderStatement reader:
                    tapes.Add(reader.Tape);
                    break;
                case AssignStatement { Value: TapePopExpression pop }:
                    tapes.Add(pop.Tape);
                    break;
                case ElementAssignStatement { Value: TapePopExpression pop }:
                    tapes.Add(pop.Tape);
                    break;
            }
        });

    private static bool ContainsCall(Block block, System.Func<CallExpression, bool> match)
    {
        bool found = false;
        Variables.ForEachAssignment(block, 0, (assign, _) => found |= assign.Value is CallExpression call && match(call));
        return found;
    }
}
