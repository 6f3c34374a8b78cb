// action.yml and task.json: checked against the rules of their schemas (the task schema in
// microsoft/azure-pipelines-task-lib lags the agent: it lacks the Node20_1/Node24 handlers, so the
// rules are restated here), and against the input and output tables the code reads.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import { load } from "js-yaml";
import { INPUTS, TASK_ONLY_INPUTS } from "../../../src/job/inputs";
import { OUTPUTS } from "../../../src/job/outputs";

const root = join(__dirname, "..", "..", "..");
const action = load(readFileSync(join(root, "action.yml"), "utf8")) as {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
};
const task = JSON.parse(readFileSync(join(root, "task.json"), "utf8")) as {
  inputs: { name: string; type: string; required?: boolean; defaultValue?: string }[];
  outputVariables: { name: string }[];
  execution: Record<string, { target: string }>;
  restrictions: { settableVariables: { allowed: string[] } };
};

const handler = {
  type: "object",
  required: ["target"],
  properties: { target: { type: "string", minLength: 1 } },
};

/** The rules of tasks.schema.json (draft-04, azure-pipelines-task-lib) plus the agent's current handlers. */
const taskSchema = {
  type: "object",
  additionalProperties: false,
  required: [
    "id",
    "name",
    "friendlyName",
    "description",
    "category",
    "author",
    "version",
    "instanceNameFormat",
    "execution",
  ],
  properties: {
    $schema: { type: "string" },
    id: {
      type: "string",
      pattern: "^[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$",
    },
    name: { type: "string", pattern: "^[A-Za-z0-9\\-]+$" },
    friendlyName: { type: "string", maxLength: 40 },
    description: { type: "string" },
    helpMarkDown: { type: "string" },
    category: {
      enum: [
        "Build",
        "Utility",
        "Test",
        "Package",
        "Deploy",
        "Azure Repos",
        "Azure Boards",
        "Azure Pipelines",
        "Azure Test Plans",
        "Azure Artifacts",
      ],
    },
    author: { type: "string" },
    runsOn: { type: "array", items: { enum: ["Agent", "MachineGroup", "Server", "ServerGate"] } },
    minimumAgentVersion: { type: "string", pattern: "^\\d+\\.\\d+(\\.\\d+)?$" },
    version: {
      type: "object",
      additionalProperties: false,
      required: ["Major", "Minor", "Patch"],
      properties: { Major: { type: "number" }, Minor: { type: "number" }, Patch: { type: "number" } },
    },
    instanceNameFormat: { type: "string" },
    groups: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["name", "displayName"],
        properties: {
          name: { type: "string" },
          displayName: { type: "string" },
          isExpanded: { type: "boolean" },
          visibleRule: { type: "string" },
        },
      },
    },
    inputs: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["name", "label", "type"],
        properties: {
          name: { type: "string", pattern: "^[A-Za-z][A-Za-z0-9]*$" },
          label: { type: "string", minLength: 1 },
          type: {
            anyOf: [
              { enum: ["boolean", "filePath", "multiLine", "pickList", "radio", "secureFile", "string"] },
              { type: "string", pattern: "^connectedService:.+$" },
            ],
          },
          defaultValue: { type: ["string", "boolean"] },
          required: { type: "boolean" },
          helpMarkDown: { type: "string" },
          groupName: { type: "string" },
          visibleRule: { type: "string" },
          properties: {
            type: "object",
            properties: { resizable: { type: "boolean" }, rows: { type: "string", pattern: "^\\d+$" } },
          },
          options: { type: "object" },
          aliases: { type: "array", items: { type: "string" } },
        },
      },
    },
    outputVariables: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["name"],
        properties: {
          name: { type: "string", pattern: "^[A-Za-z][A-Za-z0-9]*$" },
          description: { type: "string" },
        },
      },
    },
    execution: {
      type: "object",
      additionalProperties: false,
      minProperties: 1,
      properties: {
        Node16: handler,
        Node20_1: handler,
        Node24: handler,
        Node10: handler,
        Node: handler,
        PowerShell3: handler,
      },
    },
    restrictions: {
      type: "object",
      additionalProperties: false,
      properties: {
        commands: { type: "object", properties: { mode: { enum: ["any", "restricted"] } } },
        settableVariables: {
          type: "object",
          properties: { allowed: { type: "array", items: { type: "string" } } },
        },
      },
    },
  },
};

/** The rules of SchemaStore's github-action.json for a JavaScript action. */
const actionSchema = {
  type: "object",
  required: ["name", "description", "runs"],
  properties: {
    name: { type: "string" },
    description: { type: "string" },
    author: { type: "string" },
    branding: {
      type: "object",
      properties: {
        icon: { type: "string" },
        color: {
          enum: ["white", "black", "yellow", "blue", "green", "orange", "red", "purple", "gray-dark"],
        },
      },
    },
    inputs: {
      type: "object",
      propertyNames: { pattern: "^[_a-zA-Z][a-zA-Z0-9_-]*$" },
      additionalProperties: {
        type: "object",
        required: ["description"],
        additionalProperties: false,
        properties: {
          description: { type: "string" },
          required: { type: "boolean" },
          default: { type: "string" },
          deprecationMessage: { type: "string" },
        },
      },
    },
    outputs: {
      type: "object",
      propertyNames: { pattern: "^[_a-zA-Z][a-zA-Z0-9_-]*$" },
      additionalProperties: {
        type: "object",
        required: ["description"],
        additionalProperties: false,
        properties: { description: { type: "string" } },
      },
    },
    runs: {
      type: "object",
      required: ["using", "main"],
      properties: {
        using: { enum: ["node20", "node24"] },
        main: { type: "string" },
        pre: { type: "string" },
        post: { type: "string" },
      },
    },
  },
};

describe("action.yml", () => {
  test("follows the action metadata schema and runs dist/action.js on node24", () => {
    const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
    expect(ajv.validate(actionSchema, action) ? [] : ajv.errors).toEqual([]);
    expect(action.runs).toEqual({ using: "node24", main: "dist/action.js" });
  });

  test("declares exactly the inputs the action reads, and the outputs it writes", () => {
    expect(Object.keys(action.inputs).sort()).toEqual(
      INPUTS.filter((s) => s.in.includes("action"))
        .map((s) => s.action)
        .sort(),
    );
    expect(Object.keys(action.outputs)).toEqual(OUTPUTS.map((o) => o.action));
    for (const spec of INPUTS)
      if (spec.in.includes("action"))
        expect(Boolean(action.inputs[spec.action]?.required)).toBe(Boolean(spec.required));
  });

  test("its description names every output", () => {
    const description = (action as unknown as { description: string }).description;
    expect(
      OUTPUTS.map((o) => o.action).filter((name) => !new RegExp(`\\b${name}\\b`).test(description)),
    ).toEqual([]);
  });
});

describe("task.json", () => {
  test("follows the task schema's rules", () => {
    const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
    expect(ajv.validate(taskSchema, task) ? [] : ajv.errors).toEqual([]);
  });

  test("Node20_1 and Node24 handlers run dist/task.js", () => {
    expect(task.execution).toEqual({
      Node20_1: expect.objectContaining({ target: "dist/task.js" }),
      Node24: expect.objectContaining({ target: "dist/task.js" }),
    });
  });

  test("declares exactly the inputs the task reads, and may set only its output variables", () => {
    const taskInputs = [
      ...INPUTS.filter((s) => s.in.includes("task")).map((s) => s.key),
      ...TASK_ONLY_INPUTS,
    ];
    expect(task.inputs.map((i) => i.name).sort()).toEqual([...taskInputs].sort());
    expect(task.outputVariables.map((o) => o.name)).toEqual(OUTPUTS.map((o) => o.task));
    expect(task.restrictions.settableVariables.allowed).toEqual(OUTPUTS.map((o) => o.task));
    expect(task.inputs.find((i) => i.name === "dockerRegistryServiceConnection")?.type).toBe(
      "connectedService:dockerregistry",
    );
    expect(task.inputs.find((i) => i.name === "azureSubscription")?.type).toBe("connectedService:AzureRM");
  });

  test("its help names every output variable", () => {
    const help = (task as unknown as { helpMarkDown: string }).helpMarkDown;
    expect(OUTPUTS.map((o) => o.task).filter((name) => !new RegExp(`\\b${name}\\b`).test(help))).toEqual([]);
  });

  test("defaults agree with action.yml", () => {
    for (const input of task.inputs) {
      const spec = INPUTS.find((s) => s.key === input.name);
      if (!spec || !spec.in.includes("action")) continue;
      expect([input.name, input.defaultValue]).toEqual([input.name, action.inputs[spec.action]?.default]);
    }
  });
});
