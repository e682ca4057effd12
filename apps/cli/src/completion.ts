import type { Command } from 'commander';

const STATUSES = 'Submitted InProgress Completed CompletedWithFailures Failure';

/** `path (space separated) → its subcommands and options`, read from the program itself. */
function commandTable(program: Command): Array<{ path: string; subcommands: string[]; options: string[] }> {
  const rows: Array<{ path: string; subcommands: string[]; options: string[] }> = [];
  const walk = (cmd: Command, path: string[]) => {
    rows.push({
      path: path.join(' '),
      // Subcommands, and the allowed values of a first argument with choices (import types, shells).
      subcommands: [...cmd.commands.map((c) => c.name()).filter((n) => n !== 'help'), ...(cmd.registeredArguments[0]?.argChoices ?? [])],
      options: [...cmd.options.flatMap((o) => [o.long, o.short].filter((x): x is string => Boolean(x))), '--help'],
    });
    for (const sub of cmd.commands) walk(sub, [...path, sub.name()]);
  };
  walk(program, []);
  return rows;
}

/** A bash completion script for every command, subcommand and option of the program. */
export function bashCompletion(program: Command): string {
  const cases = commandTable(program)
    .map(({ path, subcommands, options }) => `    "${path}") words="${[...subcommands, ...options].join(' ')}" ;;`)
    .join('\n');
  return `# asyncops completion for bash: eval "$(asyncops completion bash)" (add it to ~/.bashrc)
_asyncops_complete() {
  local cur prev path="" i words=""
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in
      -*) ;;
      *) case " $(_asyncops_subcommands "$path") " in *" \${COMP_WORDS[i]} "*) path="\${path:+$path }\${COMP_WORDS[i]}" ;; esac ;;
    esac
  done
  case "$prev" in
    --status) COMPREPLY=($(compgen -W "${STATUSES}" -- "$cur")); return ;;
    --url|--client-id|--client-secret|--job-type|--campaign|--cursor|--limit|--count|--interval|--operation) return ;;
  esac
  case "$path" in
${cases}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
  if [[ \${#COMPREPLY[@]} -eq 0 && "$cur" != -* ]]; then COMPREPLY=($(compgen -f -- "$cur")); fi
}
_asyncops_subcommands() {
  case "$1" in
${commandTable(program)
  .map(({ path, subcommands }) => `    "${path}") echo "${subcommands.join(' ')}" ;;`)
  .join('\n')}
  esac
}
complete -o filenames -F _asyncops_complete asyncops
`;
}

/** zsh runs the bash script through bashcompinit. */
export function zshCompletion(program: Command): string {
  return `#compdef asyncops
# asyncops completion for zsh: eval "$(asyncops completion zsh)" (add it to ~/.zshrc)
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${bashCompletion(program).split('\n').slice(1).join('\n')}`;
}
