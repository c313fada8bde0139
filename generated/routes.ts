/* tslint:disable */
/* eslint-disable */
// WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
import type { TsoaRoute } from '@tsoa/runtime';
import {  fetchMiddlewares, ExpressTemplateService } from '@tsoa/runtime';
// WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
import { StatsController } from './../src/controllers/stats-controller';
// WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
import { TodosController } from './../src/controllers/todos-controller';
import { expressAuthentication } from './../src/authentication';
// @ts-ignore - no great way to install types from subpackage
import { iocContainer } from './../src/ioc';
import type { IocContainer, IocContainerFactory } from '@tsoa/runtime';
import type { Request as ExRequest, Response as ExResponse, RequestHandler, Router } from 'express';

const expressAuthenticationRecasted = expressAuthentication as (req: ExRequest, securityName: string, scopes?: string[], res?: ExResponse) => Promise<any>;


// WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

const models: TsoaRoute.Models = {
    "FieldError": {
        "dataType": "refObject",
        "properties": {
            "message": {"dataType":"string","required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "FieldErrors": {
        "dataType": "refObject",
        "properties": {
        },
        "additionalProperties": {"ref":"FieldError"},
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "ErrorResponse": {
        "dataType": "refObject",
        "properties": {
            "error": {"dataType":"string","required":true},
            "message": {"dataType":"string","required":true},
            "fields": {"ref":"FieldErrors"},
            "request_id": {"dataType":"string"},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "getTodosResponse": {
        "dataType": "refObject",
        "properties": {
            "todos": {"dataType":"array","array":{"dataType":"string"},"required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "addTodoRequest": {
        "dataType": "refObject",
        "properties": {
            "todo": {"dataType":"string","required":true,"validators":{"minLength":{"errorMsg":"todo must not be empty","value":1},"maxLength":{"errorMsg":"todo must be at most 300 characters","value":300},"pattern":{"errorMsg":"todo must be one line of text, not blank","value":"^[^\\x00-\\x1F\\x7F]*[^\\s\\x00-\\x1F\\x7F][^\\x00-\\x1F\\x7F]*$"}}},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "deleteTodoRequest": {
        "dataType": "refObject",
        "properties": {
            "todo_idx": {"dataType":"integer","required":true,"validators":{"isInt":{"errorMsg":"todo_idx must be an integer"},"minimum":{"errorMsg":"todo_idx must be 0 or more","value":0}}},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "Id": {
        "dataType": "refAlias",
        "type": {"dataType":"double","validators":{}},
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "TeamRef": {
        "dataType": "refObject",
        "properties": {
            "id": {"ref":"Id","required":true},
            "abbreviation": {"dataType":"string","required":true},
            "full_name": {"dataType":"string","required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "Player": {
        "dataType": "refObject",
        "properties": {
            "id": {"ref":"Id","required":true},
            "first_name": {"dataType":"string","required":true},
            "last_name": {"dataType":"string","required":true},
            "position": {"dataType":"string","required":true},
            "height": {"dataType":"union","subSchemas":[{"dataType":"string"},{"dataType":"enum","enums":[null]}],"required":true},
            "weight": {"dataType":"union","subSchemas":[{"dataType":"string"},{"dataType":"enum","enums":[null]}],"required":true},
            "jersey_number": {"dataType":"union","subSchemas":[{"dataType":"string"},{"dataType":"enum","enums":[null]}],"required":true},
            "college": {"dataType":"union","subSchemas":[{"dataType":"string"},{"dataType":"enum","enums":[null]}],"required":true},
            "country": {"dataType":"union","subSchemas":[{"dataType":"string"},{"dataType":"enum","enums":[null]}],"required":true},
            "draft_year": {"dataType":"union","subSchemas":[{"dataType":"double"},{"dataType":"enum","enums":[null]}],"required":true},
            "team": {"ref":"TeamRef"},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "PageMeta": {
        "dataType": "refObject",
        "properties": {
            "count": {"dataType":"double","required":true},
            "next_cursor": {"dataType":"union","subSchemas":[{"dataType":"string"},{"dataType":"enum","enums":[null]}],"required":true},
            "total_count": {"dataType":"double"},
            "note": {"dataType":"string"},
            "source": {"dataType":"string","required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "PlayerPage": {
        "dataType": "refObject",
        "properties": {
            "data": {"dataType":"array","array":{"dataType":"refObject","ref":"Player"},"required":true},
            "meta": {"ref":"PageMeta","required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "Team": {
        "dataType": "refObject",
        "properties": {
            "id": {"ref":"Id","required":true},
            "abbreviation": {"dataType":"string","required":true},
            "full_name": {"dataType":"string","required":true},
            "city": {"dataType":"string","required":true},
            "name": {"dataType":"string","required":true},
            "conference": {"dataType":"string","required":true},
            "division": {"dataType":"string","required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "TeamList": {
        "dataType": "refObject",
        "properties": {
            "data": {"dataType":"array","array":{"dataType":"refObject","ref":"Team"},"required":true},
            "meta": {"ref":"PageMeta","required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "Game": {
        "dataType": "refObject",
        "properties": {
            "id": {"ref":"Id","required":true},
            "date": {"dataType":"string","required":true},
            "season": {"dataType":"double","required":true},
            "status": {"dataType":"string","required":true},
            "period": {"dataType":"double","required":true},
            "postseason": {"dataType":"boolean","required":true},
            "home_team": {"ref":"TeamRef","required":true},
            "home_team_score": {"dataType":"double","required":true},
            "visitor_team": {"ref":"TeamRef","required":true},
            "visitor_team_score": {"dataType":"double","required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "GamePage": {
        "dataType": "refObject",
        "properties": {
            "data": {"dataType":"array","array":{"dataType":"refObject","ref":"Game"},"required":true},
            "meta": {"ref":"PageMeta","required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "SeasonParam": {
        "dataType": "refAlias",
        "type": {"dataType":"integer","validators":{"isInt":{"errorMsg":"seasons must be years such as 2023; repeat the parameter for several (seasons=2022&seasons=2023)"},"minimum":{"errorMsg":"seasons start in 1946","value":1946},"maximum":{"errorMsg":"seasons end in 2100","value":2100}}},
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "IdParam": {
        "dataType": "refAlias",
        "type": {"dataType":"integer","validators":{"isInt":{"errorMsg":"ids must be integers; repeat the parameter for several ids (team_ids=1&team_ids=2)"},"minimum":{"errorMsg":"ids are 1 or more","value":1}}},
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "StatLine": {
        "dataType": "refObject",
        "properties": {
            "pts": {"dataType":"double","required":true},
            "reb": {"dataType":"double","required":true},
            "ast": {"dataType":"double","required":true},
            "stl": {"dataType":"double","required":true},
            "blk": {"dataType":"double","required":true},
            "turnover": {"dataType":"double","required":true},
            "pf": {"dataType":"double","required":true},
            "fgm": {"dataType":"double","required":true},
            "fga": {"dataType":"double","required":true},
            "fg_pct": {"dataType":"union","subSchemas":[{"dataType":"double"},{"dataType":"enum","enums":[null]}],"required":true},
            "fg3m": {"dataType":"double","required":true},
            "fg3a": {"dataType":"double","required":true},
            "fg3_pct": {"dataType":"union","subSchemas":[{"dataType":"double"},{"dataType":"enum","enums":[null]}],"required":true},
            "ftm": {"dataType":"double","required":true},
            "fta": {"dataType":"double","required":true},
            "ft_pct": {"dataType":"union","subSchemas":[{"dataType":"double"},{"dataType":"enum","enums":[null]}],"required":true},
            "oreb": {"dataType":"double","required":true},
            "dreb": {"dataType":"double","required":true},
            "id": {"ref":"Id","required":true},
            "game_id": {"ref":"Id","required":true},
            "date": {"dataType":"string","required":true},
            "season": {"dataType":"double","required":true},
            "player_id": {"ref":"Id","required":true},
            "player_name": {"dataType":"string","required":true},
            "team": {"dataType":"string","required":true},
            "opponent": {"dataType":"string","required":true},
            "min": {"dataType":"double","required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "StatPage": {
        "dataType": "refObject",
        "properties": {
            "data": {"dataType":"array","array":{"dataType":"refObject","ref":"StatLine"},"required":true},
            "meta": {"ref":"PageMeta","required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "SeasonAverage": {
        "dataType": "refObject",
        "properties": {
            "pts": {"dataType":"double","required":true},
            "reb": {"dataType":"double","required":true},
            "ast": {"dataType":"double","required":true},
            "stl": {"dataType":"double","required":true},
            "blk": {"dataType":"double","required":true},
            "turnover": {"dataType":"double","required":true},
            "pf": {"dataType":"double","required":true},
            "fgm": {"dataType":"double","required":true},
            "fga": {"dataType":"double","required":true},
            "fg_pct": {"dataType":"union","subSchemas":[{"dataType":"double"},{"dataType":"enum","enums":[null]}],"required":true},
            "fg3m": {"dataType":"double","required":true},
            "fg3a": {"dataType":"double","required":true},
            "fg3_pct": {"dataType":"union","subSchemas":[{"dataType":"double"},{"dataType":"enum","enums":[null]}],"required":true},
            "ftm": {"dataType":"double","required":true},
            "fta": {"dataType":"double","required":true},
            "ft_pct": {"dataType":"union","subSchemas":[{"dataType":"double"},{"dataType":"enum","enums":[null]}],"required":true},
            "oreb": {"dataType":"double","required":true},
            "dreb": {"dataType":"double","required":true},
            "player_id": {"ref":"Id","required":true},
            "player_name": {"dataType":"string"},
            "season": {"dataType":"double","required":true},
            "games_played": {"dataType":"double","required":true},
            "min": {"dataType":"double","required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "SeasonAverageList": {
        "dataType": "refObject",
        "properties": {
            "data": {"dataType":"array","array":{"dataType":"refObject","ref":"SeasonAverage"},"required":true},
            "meta": {"ref":"PageMeta","required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
};
const templateService = new ExpressTemplateService(models, {"noImplicitAdditionalProperties":"throw-on-extras","bodyCoercion":false});

// WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa




export function RegisterRoutes(app: Router) {

    // ###########################################################################################################
    //  NOTE: If you do not see routes for all of your controllers in this file, then you might not have informed tsoa of where to look
    //      Please look into the "controllerPathGlobs" config option described in the readme: https://github.com/lukeautry/tsoa
    // ###########################################################################################################


    
        const argsStatsController_getPlayers: Record<string, TsoaRoute.ParameterSchema> = {
                query: {"in":"query","name":"query","dataType":"string","validators":{"maxLength":{"errorMsg":"query must be at most 100 characters","value":100}}},
                limit: {"in":"query","name":"limit","dataType":"integer","validators":{"isInt":{"errorMsg":"limit must be an integer"},"minimum":{"errorMsg":"limit must be at least 1","value":1},"maximum":{"errorMsg":"limit must be at most 100","value":100}}},
                cursor: {"in":"query","name":"cursor","dataType":"string","validators":{"maxLength":{"errorMsg":"cursor must be at most 100 characters","value":100}}},
        };
        app.get('/players',
            authenticateMiddleware([{"plugin":[]}]),
            ...(fetchMiddlewares<RequestHandler>(StatsController)),
            ...(fetchMiddlewares<RequestHandler>(StatsController.prototype.getPlayers)),

            async function StatsController_getPlayers(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsStatsController_getPlayers, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<StatsController>(StatsController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'getPlayers',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: 200,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsStatsController_getTeams: Record<string, TsoaRoute.ParameterSchema> = {
        };
        app.get('/teams',
            authenticateMiddleware([{"plugin":[]}]),
            ...(fetchMiddlewares<RequestHandler>(StatsController)),
            ...(fetchMiddlewares<RequestHandler>(StatsController.prototype.getTeams)),

            async function StatsController_getTeams(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsStatsController_getTeams, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<StatsController>(StatsController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'getTeams',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: 200,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsStatsController_getGames: Record<string, TsoaRoute.ParameterSchema> = {
                limit: {"in":"query","name":"limit","dataType":"integer","validators":{"isInt":{"errorMsg":"limit must be an integer"},"minimum":{"errorMsg":"limit must be at least 1","value":1},"maximum":{"errorMsg":"limit must be at most 100","value":100}}},
                seasons: {"in":"query","name":"seasons","dataType":"array","array":{"dataType":"refAlias","ref":"SeasonParam"},"validators":{"maxItems":{"errorMsg":"at most 20 seasons","value":20}}},
                team_ids: {"in":"query","name":"team_ids","dataType":"array","array":{"dataType":"refAlias","ref":"IdParam"},"validators":{"maxItems":{"errorMsg":"at most 30 team ids","value":30}}},
                start_date: {"in":"query","name":"start_date","dataType":"string","validators":{"pattern":{"errorMsg":"start_date must be a date in YYYY-MM-DD format","value":"^\\d{4}-\\d{2}-\\d{2}$"}}},
                end_date: {"in":"query","name":"end_date","dataType":"string","validators":{"pattern":{"errorMsg":"end_date must be a date in YYYY-MM-DD format","value":"^\\d{4}-\\d{2}-\\d{2}$"}}},
                cursor: {"in":"query","name":"cursor","dataType":"string","validators":{"maxLength":{"errorMsg":"cursor must be at most 100 characters","value":100}}},
        };
        app.get('/games',
            authenticateMiddleware([{"plugin":[]}]),
            ...(fetchMiddlewares<RequestHandler>(StatsController)),
            ...(fetchMiddlewares<RequestHandler>(StatsController.prototype.getGames)),

            async function StatsController_getGames(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsStatsController_getGames, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<StatsController>(StatsController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'getGames',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: 200,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsStatsController_getStats: Record<string, TsoaRoute.ParameterSchema> = {
                limit: {"in":"query","name":"limit","dataType":"integer","validators":{"isInt":{"errorMsg":"limit must be an integer"},"minimum":{"errorMsg":"limit must be at least 1","value":1},"maximum":{"errorMsg":"limit must be at most 100","value":100}}},
                player_ids: {"in":"query","name":"player_ids","dataType":"array","array":{"dataType":"refAlias","ref":"IdParam"},"validators":{"maxItems":{"errorMsg":"at most 50 player ids","value":50}}},
                game_ids: {"in":"query","name":"game_ids","dataType":"array","array":{"dataType":"refAlias","ref":"IdParam"},"validators":{"maxItems":{"errorMsg":"at most 50 game ids","value":50}}},
                start_date: {"in":"query","name":"start_date","dataType":"string","validators":{"pattern":{"errorMsg":"start_date must be a date in YYYY-MM-DD format","value":"^\\d{4}-\\d{2}-\\d{2}$"}}},
                end_date: {"in":"query","name":"end_date","dataType":"string","validators":{"pattern":{"errorMsg":"end_date must be a date in YYYY-MM-DD format","value":"^\\d{4}-\\d{2}-\\d{2}$"}}},
                cursor: {"in":"query","name":"cursor","dataType":"string","validators":{"maxLength":{"errorMsg":"cursor must be at most 100 characters","value":100}}},
        };
        app.get('/stats',
            authenticateMiddleware([{"plugin":[]}]),
            ...(fetchMiddlewares<RequestHandler>(StatsController)),
            ...(fetchMiddlewares<RequestHandler>(StatsController.prototype.getStats)),

            async function StatsController_getStats(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsStatsController_getStats, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<StatsController>(StatsController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'getStats',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: 200,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsStatsController_getSeasonAverages: Record<string, TsoaRoute.ParameterSchema> = {
                player_ids: {"in":"query","name":"player_ids","required":true,"dataType":"array","array":{"dataType":"refAlias","ref":"IdParam"},"validators":{"minItems":{"errorMsg":"player_ids is required: find ids with getPlayers","value":1},"maxItems":{"errorMsg":"at most 25 player ids","value":25}}},
                season: {"in":"query","name":"season","dataType":"integer","validators":{"isInt":{"errorMsg":"season must be a year such as 2023"},"minimum":{"errorMsg":"season must be 1946 or later","value":1946},"maximum":{"errorMsg":"season must be 2100 or earlier","value":2100}}},
        };
        app.get('/season_averages',
            authenticateMiddleware([{"plugin":[]}]),
            ...(fetchMiddlewares<RequestHandler>(StatsController)),
            ...(fetchMiddlewares<RequestHandler>(StatsController.prototype.getSeasonAverages)),

            async function StatsController_getSeasonAverages(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsStatsController_getSeasonAverages, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<StatsController>(StatsController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'getSeasonAverages',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: 200,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsTodosController_getTodos: Record<string, TsoaRoute.ParameterSchema> = {
                username: {"in":"path","name":"username","required":true,"dataType":"string","validators":{"minLength":{"errorMsg":"username must not be empty","value":1},"maxLength":{"errorMsg":"username must be at most 100 characters","value":100}}},
                req: {"in":"request","name":"req","required":true,"dataType":"object"},
        };
        app.get('/todos/:username',
            authenticateMiddleware([{"plugin":[]}]),
            ...(fetchMiddlewares<RequestHandler>(TodosController)),
            ...(fetchMiddlewares<RequestHandler>(TodosController.prototype.getTodos)),

            async function TodosController_getTodos(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsTodosController_getTodos, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<TodosController>(TodosController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'getTodos',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: 200,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsTodosController_addTodo: Record<string, TsoaRoute.ParameterSchema> = {
                username: {"in":"path","name":"username","required":true,"dataType":"string","validators":{"minLength":{"errorMsg":"username must not be empty","value":1},"maxLength":{"errorMsg":"username must be at most 100 characters","value":100}}},
                body: {"in":"body","name":"body","required":true,"ref":"addTodoRequest"},
                req: {"in":"request","name":"req","required":true,"dataType":"object"},
        };
        app.post('/todos/:username',
            authenticateMiddleware([{"plugin":[]}]),
            ...(fetchMiddlewares<RequestHandler>(TodosController)),
            ...(fetchMiddlewares<RequestHandler>(TodosController.prototype.addTodo)),

            async function TodosController_addTodo(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsTodosController_addTodo, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<TodosController>(TodosController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'addTodo',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: 200,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsTodosController_deleteTodo: Record<string, TsoaRoute.ParameterSchema> = {
                username: {"in":"path","name":"username","required":true,"dataType":"string","validators":{"minLength":{"errorMsg":"username must not be empty","value":1},"maxLength":{"errorMsg":"username must be at most 100 characters","value":100}}},
                body: {"in":"body","name":"body","required":true,"ref":"deleteTodoRequest"},
                req: {"in":"request","name":"req","required":true,"dataType":"object"},
        };
        app.delete('/todos/:username',
            authenticateMiddleware([{"plugin":[]}]),
            ...(fetchMiddlewares<RequestHandler>(TodosController)),
            ...(fetchMiddlewares<RequestHandler>(TodosController.prototype.deleteTodo)),

            async function TodosController_deleteTodo(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsTodosController_deleteTodo, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<TodosController>(TodosController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'deleteTodo',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: 200,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa


    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

    function authenticateMiddleware(security: TsoaRoute.Security[] = []) {
        return async function runAuthenticationMiddleware(request: any, response: any, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            // keep track of failed auth attempts so we can hand back the most
            // recent one.  This behavior was previously existing so preserving it
            // here
            const failedAttempts: any[] = [];
            const pushAndRethrow = (error: any) => {
                failedAttempts.push(error);
                throw error;
            };

            const secMethodOrPromises: Promise<any>[] = [];
            for (const secMethod of security) {
                if (Object.keys(secMethod).length > 1) {
                    const secMethodAndPromises: Promise<any>[] = [];

                    for (const name in secMethod) {
                        secMethodAndPromises.push(
                            expressAuthenticationRecasted(request, name, secMethod[name], response)
                                .catch(pushAndRethrow)
                        );
                    }

                    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

                    secMethodOrPromises.push(Promise.all(secMethodAndPromises)
                        .then(users => { return users[0]; }));
                } else {
                    for (const name in secMethod) {
                        secMethodOrPromises.push(
                            expressAuthenticationRecasted(request, name, secMethod[name], response)
                                .catch(pushAndRethrow)
                        );
                    }
                }
            }

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            try {
                request['user'] = await Promise.any(secMethodOrPromises);

                // Response was sent in middleware, abort
                if (response.writableEnded) {
                    return;
                }

                next();
            }
            catch(err) {
                // Show most recent error as response
                const error = failedAttempts.pop();
                error.status = error.status || 401;

                // Response was sent in middleware, abort
                if (response.writableEnded) {
                    return;
                }
                next(error);
            }

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        }
    }

    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
}

// WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
